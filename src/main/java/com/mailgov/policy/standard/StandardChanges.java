package com.mailgov.policy.standard;

import com.mailgov.audit.AuditLog;
import com.mailgov.policy.Policy;
import com.mailgov.policy.PolicyDocument;
import com.mailgov.policy.PolicyDocument.RuleSettings;
import com.mailgov.policy.PolicyService;
import com.mailgov.policy.PolicyStore;
import com.mailgov.policy.RuleParameter;
import com.mailgov.security.Actor;
import com.mailgov.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The standard change classes and whether the policy has them in force: which class, if any,
 * approves a request by itself, and revoking or reinstating a class (each a new policy version,
 * audited). A class is in force unless the policy document says {@code enabled: false}.
 */
@ApplicationScoped
@Transactional
public class StandardChanges {

    @Inject
    Instance<StandardChangeClass> classBeans;

    @Inject
    PolicyStore store;

    @Inject
    PolicyService policies;

    @Inject
    AuditLog audit;

    /** A class approved a request: which one, under which policy version. */
    public record Match(String classId, long policyVersion) {
    }

    public record StandardChangeView(String id, String description, boolean enabled, Map<String, Integer> parameters,
                                     List<RuleParameter> parameterRanges, long policyVersion) {
    }

    public List<StandardChangeClass> classes() {
        return classBeans.stream().sorted(java.util.Comparator.comparing(StandardChangeClass::id)).toList();
    }

    /** The first class in force in policy version {@code policyVersion} that takes the candidate. */
    public Optional<Match> match(long policyVersion, StandardChangeCandidate candidate) {
        Policy policy = store.load(policyVersion).orElseThrow();
        for (StandardChangeClass c : classes()) {
            RuleSettings settings = policy.document().standardChangesOrEmpty().get(c.id());
            if (!enabled(settings)) {
                continue;
            }
            if (c.refusal(candidate, parameters(c, settings)).isEmpty()) {
                return Optional.of(new Match(c.id(), policyVersion));
            }
        }
        return Optional.empty();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<StandardChangeView> list() {
        Policy policy = store.current();
        return classes().stream().map(c -> view(c, policy)).toList();
    }

    public StandardChangeView revoke(Actor actor, String id) {
        return setEnabled(actor, id, false, "policy.standard_change_revoked");
    }

    public StandardChangeView reinstate(Actor actor, String id) {
        return setEnabled(actor, id, true, "policy.standard_change_reinstated");
    }

    private StandardChangeView setEnabled(Actor actor, String id, boolean enabled, String action) {
        StandardChangeClass c = classes().stream().filter(k -> k.id().equals(id)).findFirst()
                .orElseThrow(() -> ApiException.notFound("Standard change class " + (id.length() > 64 ? id.substring(0, 64) : id)));
        PolicyDocument doc = store.current().document();
        Map<String, RuleSettings> classes = new LinkedHashMap<>(doc.standardChangesOrEmpty());
        RuleSettings old = classes.get(id);
        classes.put(id, new RuleSettings(enabled, null, old == null ? null : old.parameters()));
        long version = policies.update(actor, new PolicyDocument(doc.rules(), doc.departments(), doc.customRules(), classes)).version();
        audit.record(actor, action, "STANDARD_CHANGE", id, Map.of("enabled", enabled(old)),
                Map.of("enabled", enabled, "policyVersion", version));
        return view(c, store.current());
    }

    private StandardChangeView view(StandardChangeClass c, Policy policy) {
        RuleSettings settings = policy.document().standardChangesOrEmpty().get(c.id());
        return new StandardChangeView(c.id(), c.description(), enabled(settings), parameters(c, settings), c.parameters(),
                policy.version());
    }

    private static boolean enabled(RuleSettings settings) {
        return settings == null || settings.enabled() == null || settings.enabled();
    }

    private static Map<String, Integer> parameters(StandardChangeClass c, RuleSettings settings) {
        Map<String, Integer> params = new HashMap<>();
        c.parameters().forEach(p -> params.put(p.name(), p.defaultValue()));
        if (settings != null && settings.parameters() != null) {
            params.putAll(settings.parameters());
        }
        return Map.copyOf(params);
    }
}
