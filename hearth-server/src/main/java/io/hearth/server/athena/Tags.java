package io.hearth.server.athena;

import static java.util.Objects.requireNonNull;

import io.hearth.server.HearthException;
import io.hearth.server.athena.AthenaShapes.ListTagsForResourceResponse;
import io.hearth.server.athena.AthenaShapes.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tags of work groups and of the data catalog, named by ARN as Athena names them
 * ({@code arn:aws:athena:REGION:ACCOUNT:workgroup/NAME}, {@code ...:datacatalog/AwsDataCatalog}).
 */
final class Tags {
    /** Athena's limit of tags on one resource. */
    static final int MAX_TAGS = 50;
    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:athena:[^:]*:[^:]*:(workgroup|datacatalog)/(.+)");

    private final TagStore store;
    private final WorkGroups workGroups;

    Tags(TagStore store, WorkGroups workGroups) {
        this.store = requireNonNull(store, "store is null");
        this.workGroups = requireNonNull(workGroups, "workGroups is null");
    }

    void tag(String arn, List<Tag> tags) {
        String resource = resource(arn);
        Map<String, String> added = validated(tags);
        List<String> keys = new ArrayList<>(store.tags(resource).keySet());
        added.keySet().stream().filter(key -> !keys.contains(key)).forEach(keys::add);
        if (keys.size() > MAX_TAGS) {
            throw HearthException.invalidArgument("Tags: a resource takes at most %d tags; %s would have %d", MAX_TAGS, resource, keys.size());
        }
        store.put(resource, added);
    }

    /** Tags a new work group as CreateWorkGroup's Tags ask, once {@link #validated} has checked them. */
    void tagWorkGroup(String name, Map<String, String> tags) {
        store.put("workgroup/" + name, tags);
    }

    void untag(String arn, List<String> keys) {
        store.remove(resource(arn), keys);
    }

    ListTagsForResourceResponse list(String arn, String nextToken, Integer maxResults) {
        String resource = resource(arn);
        Map<String, String> tags = store.tags(resource);
        Page<String> page = Page.of(List.copyOf(tags.keySet()), nextToken, maxResults, "tags:" + resource);
        return new ListTagsForResourceResponse(page.items().stream().map(key -> new Tag(key, tags.get(key))).toList(), page.nextToken());
    }

    /** Deletes the tags of a work group that was deleted. */
    void forgetWorkGroup(String name) {
        store.removeAll("workgroup/" + name);
    }

    /** Tags as a map, once each is known to be one a resource can take; an error naming the first that is not. */
    Map<String, String> validated(List<Tag> tags) {
        Map<String, String> added = new LinkedHashMap<>();
        for (Tag tag : tags == null ? List.<Tag>of() : tags) {
            if (tag.key() == null || tag.key().isEmpty()) {
                throw HearthException.invalidArgument("Tags: a tag needs a Key");
            }
            if (tag.key().startsWith("aws:")) {
                throw HearthException.invalidArgument("Tags: the key %s uses the prefix aws:, which AWS reserves", tag.key());
            }
            added.put(tag.key(), tag.value() == null ? "" : tag.value());
        }
        if (added.size() > MAX_TAGS) {
            throw HearthException.invalidArgument("Tags: a resource takes at most %d tags; %d were given", MAX_TAGS, added.size());
        }
        return added;
    }

    /** The resource an ARN names, once it is known to exist. */
    private String resource(String arn) {
        Matcher matcher = ARN.matcher(arn);
        if (!matcher.matches()) {
            throw HearthException.invalidArgument("ResourceARN %s is not the ARN of an Athena work group or data catalog "
                    + "(arn:aws:athena:REGION:ACCOUNT:workgroup/NAME or .../datacatalog/NAME)", arn);
        }
        String kind = matcher.group(1);
        String name = matcher.group(2);
        boolean exists = kind.equals("workgroup") ? workGroups.exists(name) : name.equals(AthenaService.CATALOG);
        if (!exists) {
            throw HearthException.notFound("%s %s does not exist", kind.equals("workgroup") ? "WorkGroup" : "Data catalog", name);
        }
        return kind + "/" + name;
    }
}
