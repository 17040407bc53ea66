package com.mailgov.adoption;

import com.mailgov.change.ChangeApproved;
import com.mailgov.push.connector.ArtifactKey;
import com.mailgov.push.connector.ArtifactType;
import com.mailgov.push.ledger.ArtifactLedger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.List;

/**
 * Approving an import writes nothing to the server (it already holds the objects); it makes the
 * artifacts the request stands for mailgov's, in the approval's own transaction.
 */
@ApplicationScoped
public class ImportAdoption {

    @Inject
    EntityManager em;

    @Inject
    ArtifactLedger ledger;

    @Transactional(Transactional.TxType.MANDATORY)
    void onApproved(@Observes ChangeApproved approved) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT server_id, artifacts FROM import_proposal WHERE change_request_id = :id", Object[].class)
                .unwrap(org.hibernate.query.NativeQuery.class).addSynchronizedQuerySpace("import_proposal")
                // only SQL writes import_proposal: no flush, nor the dirty check of the approval's session that even a query space costs
                .setHibernateFlushMode(org.hibernate.FlushMode.MANUAL)
                .setParameter("id", approved.changeRequest()).getResultList();
        for (Object[] row : rows) {
            long serverId = ((Number) row[0]).longValue();
            List<ArtifactKey> keys = new ArrayList<>();
            for (String a : toStrings(row[1])) {
                int colon = a.indexOf(':');
                keys.add(new ArtifactKey(ArtifactType.valueOf(a.substring(0, colon)), a.substring(colon + 1)));
            }
            ledger.adopt(serverId, keys);
        }
    }

    private static String[] toStrings(Object array) {
        try {
            if (array instanceof java.sql.Array a) {
                return (String[]) a.getArray();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return (String[]) array;
    }
}
