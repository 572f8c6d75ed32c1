package io.hearth.spark.fs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * {@code s3://bucket/key} (and {@code s3a://}, {@code s3n://}) as the files Hearth's S3 API
 * serves: {@code <root>/bucket/key} on this machine, where the root is the Hadoop setting
 * {@value #ROOT}. Spark, Hive and the metastore read and write the same objects that
 * {@code aws s3 cp} uploads, with the speed and semantics of the local file system (renames are
 * atomic, listings consistent). Paths going in are mapped to local files; paths coming out
 * (listings, statuses) are mapped back, so tables keep their {@code s3://} locations.
 */
public class LocalObjectStoreFileSystem extends FileSystem {
    /** The Hadoop setting naming the local directory that holds the buckets. */
    public static final String ROOT = "hearth.object-store.root";

    private static final String OWNER = System.getProperty("user.name");

    private final RawLocalFileSystem local = new RawLocalFileSystem();
    private URI uri;
    private String bucket;
    private Path root;
    private Path workingDirectory;

    @Override
    public void initialize(URI name, Configuration conf) throws IOException {
        super.initialize(name, conf);
        String rootSetting = conf.get(ROOT);
        if (rootSetting == null || rootSetting.isBlank()) {
            throw new IOException("Cannot open " + name + ": the Hadoop setting " + ROOT
                    + " must name the directory of Hearth's object store (Hearth sets it for every Spark process it starts)");
        }
        if (name.getAuthority() == null || name.getAuthority().isEmpty()) {
            throw new IOException("Cannot open " + name + ": an " + name.getScheme() + ":// path must name a bucket, as in "
                    + name.getScheme() + "://bucket/key");
        }
        this.uri = URI.create(name.getScheme() + "://" + name.getAuthority());
        this.bucket = name.getAuthority();
        this.root = new Path(new Path(rootSetting).toUri().getPath());
        this.workingDirectory = new Path(uri.toString() + "/");
        local.initialize(URI.create("file:///"), conf);
        setConf(conf);
    }

    @Override
    public String getScheme() {
        return uri.getScheme();
    }

    @Override
    public URI getUri() {
        return uri;
    }

    /** The local file of an object path of this bucket. */
    Path toLocal(Path path) {
        Path qualified = path.isAbsolute() && path.toUri().getScheme() != null ? path : makeQualified(path);
        URI object = qualified.toUri();
        if (!bucket.equals(object.getAuthority())) {
            throw new IllegalArgumentException("Wrong bucket: " + qualified + ", expected " + uri);
        }
        String key = object.getPath() == null ? "" : object.getPath();
        String bucketDirectory = root.toUri().getPath() + "/" + bucket;
        // Path normalises dot segments, so a key such as /../other/x would name a file outside the bucket.
        Path local = new Path("file", null, bucketDirectory + key);
        String file = local.toUri().getPath();
        if (!file.equals(bucketDirectory) && !file.startsWith(bucketDirectory + "/")) {
            throw new IllegalArgumentException("Cannot use " + qualified + ": its key leaves bucket " + bucket);
        }
        return local;
    }

    /** The object path of a local file of this bucket. */
    Path toObject(Path localPath) {
        String path = localPath.toUri().getPath();
        String prefix = root.toUri().getPath() + "/" + bucket;
        String key = path.length() > prefix.length() ? path.substring(prefix.length()) : "/";
        return new Path(uri.getScheme(), bucket, key.isEmpty() ? "/" : key);
    }

    /**
     * The status of an object: size, kind and times of the local file, but fixed permissions and the
     * current user as owner, as S3A reports them. Objects have no permissions, and reading a local
     * file's would fork {@code ls} once per file where Hadoop has no native library.
     */
    private FileStatus toObject(FileStatus status) throws IOException {
        FsPermission permission = status.isDirectory() ? FsPermission.getDirDefault() : FsPermission.getFileDefault();
        return new FileStatus(status.getLen(), status.isDirectory(), 1, status.getBlockSize(), status.getModificationTime(),
                status.getAccessTime(), permission, OWNER, OWNER, toObject(status.getPath()));
    }

    @Override
    public FSDataInputStream open(Path path, int bufferSize) throws IOException {
        return local.open(toLocal(path), bufferSize);
    }

    @Override
    public FSDataOutputStream create(Path path, FsPermission permission, boolean overwrite, int bufferSize, short replication, long blockSize,
            Progressable progress) throws IOException {
        return local.create(toLocal(path), permission, overwrite, bufferSize, replication, blockSize, progress);
    }

    @Override
    public FSDataOutputStream createNonRecursive(Path path, FsPermission permission, java.util.EnumSet<org.apache.hadoop.fs.CreateFlag> flags,
            int bufferSize, short replication, long blockSize, Progressable progress) throws IOException {
        return local.createNonRecursive(toLocal(path), permission, flags, bufferSize, replication, blockSize, progress);
    }

    @Override
    public FSDataOutputStream append(Path path, int bufferSize, Progressable progress) throws IOException {
        return local.append(toLocal(path), bufferSize, progress);
    }

    @Override
    public boolean rename(Path source, Path target) throws IOException {
        return local.rename(toLocal(source), toLocal(target));
    }

    /**
     * Deletes an object or a prefix. A bucket's root is never deleted, as with S3A: the bucket
     * outlives its objects, so deleting an empty root succeeds with nothing to do, a recursive
     * delete of a root that holds objects deletes nothing and returns false, and a non-recursive
     * one fails.
     */
    @Override
    public boolean delete(Path path, boolean recursive) throws IOException {
        Path file = toLocal(path);
        if (file.toUri().getPath().equals(root.toUri().getPath() + "/" + bucket)) {
            FileStatus[] children;
            try {
                children = local.listStatus(file);
            } catch (FileNotFoundException e) {
                return true;
            }
            if (children.length == 0) {
                return true;
            }
            if (recursive) {
                return false;
            }
            throw new IOException("Cannot delete " + makeQualified(path) + ": it is the root of bucket " + bucket);
        }
        return local.delete(file, recursive);
    }

    @Override
    public FileStatus[] listStatus(Path path) throws IOException {
        FileStatus[] statuses = local.listStatus(toLocal(path));
        FileStatus[] mapped = new FileStatus[statuses.length];
        for (int i = 0; i < statuses.length; i++) {
            mapped[i] = toObject(statuses[i]);
        }
        return mapped;
    }

    @Override
    public void setWorkingDirectory(Path directory) {
        workingDirectory = directory.isAbsolute() ? directory : new Path(workingDirectory, directory);
    }

    @Override
    public Path getWorkingDirectory() {
        return workingDirectory;
    }

    @Override
    public boolean mkdirs(Path path, FsPermission permission) throws IOException {
        return local.mkdirs(toLocal(path), permission);
    }

    @Override
    public FileStatus getFileStatus(Path path) throws IOException {
        try {
            return toObject(local.getFileStatus(toLocal(path)));
        } catch (FileNotFoundException e) {
            Path qualified = makeQualified(path);
            if (qualified.isRoot()) {
                // A bucket's root always exists, as with S3A: tools walking up a path stop there.
                return new FileStatus(0, true, 1, 0, 0, qualified);
            }
            throw new FileNotFoundException("No such object or prefix: " + qualified);
        }
    }

    @Override
    public void setPermission(Path path, FsPermission permission) throws IOException {
        local.setPermission(toLocal(path), permission);
    }

    @Override
    public void setTimes(Path path, long modificationTime, long accessTime) throws IOException {
        local.setTimes(toLocal(path), modificationTime, accessTime);
    }

    @Override
    public void close() throws IOException {
        try {
            local.close();
        } finally {
            super.close();
        }
    }
}
