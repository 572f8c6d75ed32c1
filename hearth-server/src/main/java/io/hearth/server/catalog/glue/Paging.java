package io.hearth.server.catalog.glue;

import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Pages over a sorted list of names, resuming after the last name of the previous page. */
final class Paging {
    private Paging() {}

    static List<String> after(List<String> sortedNames, Optional<String> lastName, int pageSize) {
        int start = 0;
        if (lastName.isPresent()) {
            int found = Collections.binarySearch(sortedNames, lastName.get());
            start = found >= 0 ? found + 1 : -found - 1;
        }
        return sortedNames.subList(start, Math.min(sortedNames.size(), start + pageSize));
    }

    /** Whether names follow the page (an empty page ends the listing). */
    static boolean hasMore(List<String> sortedNames, List<String> page) {
        return !page.isEmpty() && !page.get(page.size() - 1).equals(sortedNames.get(sortedNames.size() - 1));
    }
}
