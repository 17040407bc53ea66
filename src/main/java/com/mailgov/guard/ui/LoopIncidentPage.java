package com.mailgov.guard.ui;

import com.mailgov.guard.incident.IncidentService;
import com.mailgov.guard.incident.LoopIncidentView;
import com.mailgov.policy.Finding;
import com.mailgov.policy.Severity;
import com.mailgov.security.Access;
import com.mailgov.ui.LoopDiagram;
import com.mailgov.ui.UiContext;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The loop incidents page: the cycle drawn like the findings' diagrams, its edges, held messages. */
@Path("/loops")
@Produces(MediaType.TEXT_HTML)
@PermissionsAllowed(Access.REVIEW)
public class LoopIncidentPage {

    @CheckedTemplate(basePath = "ui")
    static final class Templates {
        private Templates() {
        }

        static native TemplateInstance loops(UiContext ui, List<LoopIncidentView> incidents);

        static native TemplateInstance loop(UiContext ui, LoopIncidentView incident, LoopDiagram diagram, List<Map<String, Object>> responders);
    }

    @Inject
    UiContext ui;

    @Inject
    IncidentService incidents;

    @GET
    public TemplateInstance list() {
        return Templates.loops(ui, incidents.list(null, 100)).setLocale(ui.locale());
    }

    @GET
    @Path("/{id}")
    public TemplateInstance one(@PathParam("id") long id) {
        LoopIncidentView i = incidents.get(id);
        return Templates.loop(ui, i, diagram(i), responders(i)).setLocale(ui.locale());
    }

    /** The cycle as a finding's witness path, so it is drawn like every loop diagram: automatic replies as autoreply hops. */
    static LoopDiagram diagram(LoopIncidentView i) {
        List<Finding.Edge> edges = new ArrayList<>();
        for (LoopIncidentView.EdgeView e : i.edges()) {
            Finding.EdgeKind kind = e.automated() * 2 >= e.messages() ? Finding.EdgeKind.AUTOREPLY
                    : e.evidence() != null && e.evidence().startsWith("List-Id") ? Finding.EdgeKind.SUBSCRIPTION : Finding.EdgeKind.MEMBER;
            edges.add(new Finding.Edge(e.from(), e.to(), kind));
        }
        List<String> path = new ArrayList<>(i.cycle());
        if (!path.isEmpty()) {
            path.add(path.get(0));
        }
        return LoopDiagram.of(new Finding("loop-guard", Severity.BLOCK, "", "", path, edges, null, null, null));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> responders(LoopIncidentView i) {
        Object r = i.correlated().get("responders");
        return r instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }
}
