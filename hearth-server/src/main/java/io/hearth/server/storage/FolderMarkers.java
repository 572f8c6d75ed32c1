package io.hearth.server.storage;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.domain.internal.PageSetImpl;
import org.jclouds.blobstore.domain.internal.StorageMetadataImpl;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.util.Throwables2;

/**
 * Folder markers ({@code key/}, zero bytes: what S3A and the metastore write for a directory) as S3
 * has them, where the file system store keeps them as the folders themselves. Listings show them
 * with a size, the ETag of no content and a modification time (the store lists them bare, and
 * clients such as the aws CLI fail on an entry without LastModified). Deleting a marker while
 * objects remain under it leaves them and the folder be, as on S3, instead of failing; a batch
 * delete removes objects before the markers above them.
 */
final class FolderMarkers extends ForwardingBlobStore {
    /** MD5 of zero bytes, the ETag S3 gives an empty object. */
    private static final String EMPTY_ETAG = "d41d8cd98f00b204e9800998ecf8427e";

    private final ObjectFiles files;

    FolderMarkers(ObjectFiles files) {
        super(files);
        this.files = files;
    }

    /** Without a delimiter, folders are entries of the listing (with one, S3Proxy shows them as common prefixes). */
    @Override
    public PageSet<? extends StorageMetadata> list(String container, ListContainerOptions options) {
        PageSet<? extends StorageMetadata> page = super.list(container, options);
        return options.getDelimiter() == null && options.isRecursive() ? complete(container, page) : page;
    }

    private PageSet<? extends StorageMetadata> complete(String container, PageSet<? extends StorageMetadata> page) {
        if (page.stream().noneMatch(FolderMarkers::bareFolder)) {
            return page;
        }
        List<StorageMetadata> entries = new ArrayList<>(page.size());
        for (StorageMetadata entry : page) {
            entries.add(bareFolder(entry) ? completed(container, entry) : entry);
        }
        return new PageSetImpl<>(entries, page.getNextMarker());
    }

    /** A folder the store lists with nothing but its name. */
    private static boolean bareFolder(StorageMetadata entry) {
        return entry.getLastModified() == null && entry.getName() != null && entry.getName().endsWith("/");
    }

    @Override
    public void removeBlob(String container, String name) {
        try {
            super.removeBlob(container, name);
        } catch (RuntimeException e) {
            if (!isMarker(name) || Throwables2.getFirstThrowableOfType(e, DirectoryNotEmptyException.class) == null) {
                throw e;
            }
        }
    }

    @Override
    public void removeBlobs(String container, Iterable<String> names) {
        List<String> ordered = new ArrayList<>();
        names.forEach(ordered::add);
        // Objects first, then markers from the deepest up, so each folder is empty when its marker goes.
        ordered.sort(Comparator.comparing(FolderMarkers::isMarker).thenComparing(Comparator.comparingInt(String::length).reversed()));
        ordered.forEach(name -> removeBlob(container, name));
    }

    private static boolean isMarker(String name) {
        return name.endsWith("/");
    }

    private StorageMetadata completed(String container, StorageMetadata entry) {
        return new StorageMetadataImpl(StorageType.BLOB, entry.getProviderId(), entry.getName(), entry.getLocation(), entry.getUri(), EMPTY_ETAG,
                entry.getCreationDate(), new Date(modified(container, entry.getName())), entry.getUserMetadata(), 0L, entry.getTier());
    }

    private long modified(String container, String name) {
        try {
            return Files.getLastModifiedTime(files.storedPath(container, name)).toMillis();
        } catch (IOException e) {
            // Gone since it was listed: S3 would not list it either, but the page is already made.
            return 0;
        }
    }
}
