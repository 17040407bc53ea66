package com.mailgov.adoption;

import com.mailgov.change.ChangeRequestDtos.SubmitChangeRequest;
import com.mailgov.change.ChangeRequestService;
import com.mailgov.push.connector.ArtifactKey;
import com.mailgov.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;

/** One proposed change request and its record of server artifacts, in one transaction. */
@ApplicationScoped
public class ImportChunks {

    @Inject
    ChangeRequestService changes;

    @Inject
    EntityManager em;

    @Transactional
    public UUID submit(Actor actor, long serverId, SubmitChangeRequest body, List<ArtifactKey> artifacts) {
        UUID id = changes.submitServerState(actor, body).id();
        em.flush();
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO import_proposal (change_request_id, server_id, artifacts) VALUES (?, ?, ?)")) {
                s.setObject(1, id);
                s.setLong(2, serverId);
                s.setArray(3, c.createArrayOf("text", artifacts.stream().map(ArtifactKey::toString).toArray()));
                s.executeUpdate();
            }
        });
        return id;
    }
}
