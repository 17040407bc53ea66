package com.mailgov.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mailgov.change.RevisionRestoreService;
import com.mailgov.directory.DepartmentService;
import com.mailgov.directory.DirectoryService;
import com.mailgov.directory.ObjectChange;
import com.mailgov.directory.ObjectKind;
import com.mailgov.security.Access;
import com.mailgov.web.ApiException;
import com.mailgov.web.Cursor;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;

import java.util.List;
import java.util.Locale;

/** The approved directory by department and kind, searchable by address, with its revision history. */
@Path("/directory")
@Produces(MediaType.TEXT_HTML)
@PermissionsAllowed(Access.READ)
public class DirectoryPage {

    static final int REVISIONS = 50;
    static final int PAGE = 100;

    @Inject
    UiContext ui;

    @Inject
    DirectoryService directory;

    @Inject
    DepartmentService departments;

    @Inject
    ObjectMapper json;

    @Inject
    RevisionRestoreService restores;

    @GET
    public Response browse(@QueryParam("department") String department, @QueryParam("kind") String kind,
                           @QueryParam("q") String q, @QueryParam("cursor") String cursor) {
        String dept = UiResponses.blankToNull(department);
        String search = UiResponses.blankToNull(q);
        try {
            ObjectKind k = kindOf(UiResponses.blankToNull(kind));
            // one page at a time, filtered in the database: the directory may hold hundreds of thousands of objects
            DirectoryService.DirectoryListing listing = directory.page(ui.actor().readScope(dept, "the objects"), k,
                    search == null ? null : search.toLowerCase(Locale.ROOT),
                    Cursor.read(DirectoryService.PAGES_NAME, 2, UiResponses.blankToNull(cursor)), PAGE);
            List<DirectoryModel.Entry> objects = listing.objects().stream()
                    .map(o -> new DirectoryModel.Entry(o, ItemDiff.of(new ObjectChange(o.kind(), o.key(), o.department(), null, o.spec()), json).rows()))
                    .toList();
            return UiResponses.page(Pages.directory(ui, new DirectoryModel(listing.revision(), objects,
                    directory.revisions(REVISIONS), departments.list(), dept == null ? "" : dept,
                    kind == null ? "" : kind, search == null ? "" : search, listing.next(), listing.previous()), null), ui);
        } catch (ApiException e) {
            return UiResponses.error(ui, e);
        }
    }

    /** "Restore revision n": change requests that bring it back, checked and approved like any other. */
    @POST
    @Path("/revisions/{number}/restore")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @PermissionsAllowed(Access.RESTORE)
    public Response restore(@PathParam("number") long number, @RestForm String reason) {
        try {
            RevisionRestoreService.RestoreResult result = restores.restore(ui.actor(), number,
                    new RevisionRestoreService.RestoreRequest(reason));
            // One request per department: show the first; the queue lists the others.
            return UiResponses.seeOther(result.changeRequests().isEmpty() ? "/" : "/requests/" + result.changeRequests().get(0));
        } catch (ApiException e) {
            return UiResponses.error(ui, e);
        }
    }

    private static ObjectKind kindOf(String kind) {
        return com.mailgov.web.Params.optional(ObjectKind.class, "kind", kind);
    }
}
