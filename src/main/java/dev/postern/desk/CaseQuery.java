package dev.postern.desk;

import dev.postern.store.Ids;
import dev.postern.store.ReportStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One view of the desk list: a sort, filters, a search text and a page. Parsed leniently from the
 * list's query string: a value the desk does not know means "no such filter", never an error.
 *
 * @param status   a phase name ("new", "in_progress", ...) or an organization status id; empty: any
 * @param assignee "me", "none", a colleague's id, or empty: anyone
 * @param label    an organization label id, or empty
 * @param text     the search words, or empty
 * @param page     1-based
 */
public record CaseQuery(Sort sort, String status, String assignee, String label, boolean unread, boolean overdue,
                        boolean files, String text, int page) {
    /** Reports on one page of the list. */
    public static final int PAGE_SIZE = 50;
    public static final String ME = "me";
    public static final String NOBODY = "none";
    /** The longest search text taken (longer input is cut). */
    public static final int MAX_TEXT_CHARS = 200;

    public enum Sort {
        /** The source's latest activity first: a follow-up brings its report to the top. */
        ACTIVITY,
        /** Newest received first. */
        RECEIVED,
        /** Nearest open due date first; reports without one last. */
        DEADLINE;

        public String param() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final CaseQuery ALL = new CaseQuery(Sort.ACTIVITY, "", "", "", false, false, false, "", 1);

    public CaseQuery {
        status = status == null ? "" : status;
        assignee = assignee == null ? "" : assignee;
        label = label == null ? "" : label;
        text = text == null ? "" : text.strip();
        if (text.length() > MAX_TEXT_CHARS) {
            text = text.substring(0, MAX_TEXT_CHARS);
        }
        page = Math.max(1, page);
    }

    /** The query of a list URL's parameters (a missing parameter reads as null). */
    public static CaseQuery parse(Function<String, String> param) {
        Sort sort = Sort.ACTIVITY;
        for (Sort s : Sort.values()) {
            if (s.param().equals(param.apply("sort"))) {
                sort = s;
            }
        }
        String status = param.apply("status");
        if (status != null && ReportStatus.parse(status).isEmpty() && !Ids.isValid(status)) {
            status = "";
        }
        String assignee = param.apply("assignee");
        if (assignee != null && !ME.equals(assignee) && !NOBODY.equals(assignee) && !Ids.isValid(assignee)) {
            assignee = "";
        }
        String label = param.apply("label");
        if (label != null && !Ids.isValid(label)) {
            label = "";
        }
        return new CaseQuery(sort, status, assignee, label, flag(param.apply("unread")), flag(param.apply("overdue")),
                flag(param.apply("files")), param.apply("q"), number(param.apply("page")));
    }

    /** The phase the status filter names, if it names one (rather than an organization status). */
    public Optional<ReportStatus> phase() {
        return status.isEmpty() ? Optional.empty() : ReportStatus.parse(status);
    }

    public boolean searches() {
        return !text.isEmpty();
    }

    public CaseQuery withPage(int newPage) {
        return new CaseQuery(sort, status, assignee, label, unread, overdue, files, text, newPage);
    }

    /** This query as a list URL's query string, for the pager and the sort links (page 1 left out). */
    public String queryString() {
        Map<String, String> params = new LinkedHashMap<>();
        if (sort != Sort.ACTIVITY) {
            params.put("sort", sort.param());
        }
        params.put("status", status);
        params.put("assignee", assignee);
        params.put("label", label);
        params.put("unread", unread ? "1" : "");
        params.put("overdue", overdue ? "1" : "");
        params.put("files", files ? "1" : "");
        params.put("q", text);
        params.put("page", page > 1 ? Integer.toString(page) : "");
        String query = params.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return query.isEmpty() ? "" : "?" + query;
    }

    private static boolean flag(String value) {
        return value != null && !value.isEmpty() && !"0".equals(value) && !"false".equals(value);
    }

    private static int number(String value) {
        try {
            return value == null ? 1 : Math.min(Integer.parseInt(value.strip()), 1_000_000);
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
