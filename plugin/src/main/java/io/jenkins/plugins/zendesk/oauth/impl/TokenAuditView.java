package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Api;
import io.jenkins.plugins.zendesk.oauth.ZendeskAuditTrail;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditCsv;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditEvents;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditQuery;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditSearch;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import java.io.IOException;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.StaplerProxy;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * <em>Manage Jenkins › Zendesk token audit</em> at {@code /manage/zendesk-tokens/audit/}: the audit
 * trail, newest first, filtered by the request's parameters ({@code q} the one box, {@code job},
 * {@code token}, {@code credential}, {@code event}, {@code from}, {@code to} as YYYY-MM-DD,
 * {@code offset}, {@code size}), as a page, as JSON/XML through {@code api/} and as CSV through
 * {@code export}. Needs Overall/SystemRead (which is Overall/Administer unless SystemRead is enabled).
 * One instance per request.
 */
@ExportedBean
@Restricted(NoExternalUse.class)
public final class TokenAuditView implements StaplerProxy {
    static final int DEFAULT_SIZE = 50;
    private static final List<String> FILTERS = List.of("q", "job", "token", "credential", "event", "from", "to");

    private final Map<String, String> filters = new LinkedHashMap<>();
    private final int offset;
    private final int size;
    private AuditQuery query;
    private String error;
    private AuditSearch.Page page;

    TokenAuditView(@CheckForNull StaplerRequest2 request) {
        for (String name : FILTERS) {
            String value = request == null ? null : request.getParameter(name);
            filters.put(name, value == null ? "" : value.trim());
        }
        this.offset = number(request, "offset", 0, Integer.MAX_VALUE);
        this.size = number(request, "size", DEFAULT_SIZE, AuditSearch.MAX_PAGE);
        try {
            query = AuditQuery.parse(filters.get("q"), filters.get("job"), filters.get("token"), filters.get("credential"),
                    filters.get("event"), filters.get("from"), filters.get("to"));
        } catch (ZendeskInputException e) {
            error = e.getMessage();
        }
    }

    private static int number(@CheckForNull StaplerRequest2 request, String name, int fallback, int max) {
        String value = request == null ? null : request.getParameter(name);
        try {
            int n = value == null ? fallback : Integer.parseInt(value.trim());
            return n < 0 ? fallback : Math.min(n, max);
        } catch (NumberFormatException notANumber) {
            return fallback;
        }
    }

    /** Every URL below this page, the API and the export included, needs Overall/SystemRead. */
    @Override
    public Object getTarget() {
        Jenkins.get().checkPermission(Jenkins.SYSTEM_READ);
        return this;
    }

    public Api getApi() {
        return new Api(this);
    }

    public String getDisplayName() {
        return Messages.TokenAuditView_displayName();
    }

    private AuditSearch.Page page() {
        if (page == null) {
            if (query == null) {
                page = new AuditSearch.Page(List.of(), offset, false);
            } else {
                ZendeskAuditTrail.get().flush();
                page = ZendeskAuditTrail.get().search().page(query, offset, size);
            }
        }
        return page;
    }

    /** The page of records, newest first. */
    @Exported(inline = true)
    public List<AuditRecordView> getRecords() {
        List<AuditRecordView> views = new ArrayList<>();
        page().records().forEach(r -> views.add(new AuditRecordView(r)));
        return views;
    }

    @Exported
    public int getOffset() {
        return offset;
    }

    @Exported
    public int getSize() {
        return size;
    }

    /** Whether older records match too: ask again with {@code offset + size}. */
    @Exported
    public boolean isHasMore() {
        return page().hasMore();
    }

    /** What is wrong with the filters, naming the field; null when nothing is. */
    @Exported
    @CheckForNull
    public String getError() {
        return error;
    }

    /** The filter values, to fill the form again. */
    public Map<String, String> getFilters() {
        return Collections.unmodifiableMap(filters);
    }

    public List<String> getEvents() {
        return AuditEvents.ALL;
    }

    /** The filters as a query string (without offset), for the paging and export links. */
    public String getFilterQuery() {
        StringBuilder q = new StringBuilder();
        filters.forEach((name, value) -> {
            if (!value.isEmpty()) {
                q.append(q.length() == 0 ? "" : "&").append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        if (size != DEFAULT_SIZE) {
            q.append(q.length() == 0 ? "" : "&").append("size=").append(size);
        }
        return q.toString();
    }

    public int getPreviousOffset() {
        return Math.max(0, offset - size);
    }

    public int getNextOffset() {
        return offset + size;
    }

    /** The filtered trail as CSV, oldest first, all pages: a read, so a GET; permission checked by {@link #getTarget()}. */
    @Restricted(NoExternalUse.class)
    public void doExport(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        Jenkins.get().checkPermission(Jenkins.SYSTEM_READ);
        if (query == null) {
            rsp.sendError(400, error);
            return;
        }
        ZendeskAuditTrail.get().flush();
        rsp.setContentType("text/csv;charset=UTF-8");
        rsp.setHeader("Content-Disposition", "attachment; filename=zendesk-token-audit.csv");
        Writer out = rsp.getWriter();
        AuditCsv csv = new AuditCsv(out).header();
        ZendeskAuditTrail.get().search().forEach(query, csv::record);
        out.flush();
    }
}
