package com.mailgov.policy;

import com.mailgov.audit.AuditLog;
import com.mailgov.directory.DepartmentService;
import com.mailgov.security.Actor;
import com.mailgov.web.ApiException;
import com.mailgov.web.FieldErrors;
import com.mailgov.web.Texts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and changes the policy: every change is checked whole, stored as a new version and audited. */
@ApplicationScoped
@Transactional
public class PolicyService {

    private static final Pattern CUSTOM_ID = Pattern.compile("custom-[a-z0-9][a-z0-9-]{0,62}");
    static final int MAX_CUSTOM_RULES = 100;

    @Inject
    PolicyStore store;

    @Inject
    PolicyEngine engine;

    @Inject
    DepartmentService departments;

    @Inject
    AuditLog audit;

    @Inject
    jakarta.enterprise.inject.Instance<com.mailgov.policy.standard.StandardChangeClass> standardChangeClasses;

    public record RuleView(String id, String description, Severity defaultSeverity, List<RuleParameter> parameters,
                           RuleConfig effective) {
    }

    public record PolicyView(long version, String createdBy, Instant createdAt, PolicyDocument document, List<RuleView> rules) {
    }

    public PolicyView current() {
        return view(store.current());
    }

    public PolicyView version(long version) {
        return view(store.load(version).orElseThrow(() -> ApiException.notFound("Policy version " + version)));
    }

    public PolicyView update(Actor actor, PolicyDocument document) {
        if (document == null) {
            throw ApiException.invalid("body", "is required");
        }
        PolicyDocument clean = validate(document);
        Policy before = store.current();
        long version = store.save(clean, actor.username());
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("version", version);
        after.put("document", clean);
        audit.record(actor, "policy.updated", "POLICY", "policy",
                Map.of("version", before.version(), "document", before.document()), after);
        return version(version);
    }

    private PolicyView view(Policy policy) {
        List<RuleView> rules = engine.rules().stream()
                .map(r -> new RuleView(r.id(), r.description(), r.defaultSeverity(), r.parameters(), policy.configFor(r, null)))
                .toList();
        return new PolicyView(policy.version(), policy.createdBy(), policy.createdAt(), policy.document(), rules);
    }

    /** Checks every part of the document; answers with all bad fields at once. */
    private PolicyDocument validate(PolicyDocument document) {
        FieldErrors errors = new FieldErrors();
        Map<String, PolicyRule> known = new LinkedHashMap<>();
        engine.rules().forEach(r -> known.put(r.id(), r));
        document.rulesOrEmpty().forEach((id, settings) -> checkSettings("rules." + id, id, settings, known, errors));
        document.departmentsOrEmpty().forEach((code, overrides) -> {
            if (departments.find(code).isEmpty()) {
                errors.add("departments." + code, "no such department");
            } else if (overrides != null) {
                overrides.forEach((id, settings) -> checkSettings("departments." + code + "." + id, id, settings, known, errors));
            }
        });
        List<PolicyDocument.CustomRuleSpec> custom = document.customRulesOrEmpty();
        if (custom.size() > MAX_CUSTOM_RULES) {
            errors.add("customRules", "at most " + MAX_CUSTOM_RULES + " custom rules");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < custom.size(); i++) {
            String p = "customRules[" + i + "]";
            PolicyDocument.CustomRuleSpec rule = custom.get(i);
            if (rule == null) {
                errors.add(p, "is required");
                continue;
            }
            if (rule.id() == null || !CUSTOM_ID.matcher(rule.id()).matches()) {
                errors.add(p + ".id", "must look like custom-<lower-case letters, digits, '-'>");
            } else if (!ids.add(rule.id())) {
                errors.add(p + ".id", "is used twice");
            }
            if (rule.severity() == null) {
                errors.add(p + ".severity", "is required: BLOCK, WARN or INFO");
            }
            Texts.singleLine(rule.message(), p + ".message", 500, true, errors);
            Texts.singleLine(rule.messageJa(), p + ".messageJa", 500, false, errors);
            CustomRules.Outcome outcome = CustomRules.compile(rule);
            if (outcome instanceof CustomRules.CompileError error) {
                errors.add(p + ".expression", "does not compile at " + error);
            } else if (outcome instanceof CustomRules.Compiled compiled) {
                String tooLong = CustomRules.trialRun(compiled);
                if (tooLong != null) {
                    errors.add(p + ".expression", tooLong);
                }
            }
        }
        Map<String, com.mailgov.policy.standard.StandardChangeClass> classes = new LinkedHashMap<>();
        standardChangeClasses.forEach(c -> classes.put(c.id(), c));
        document.standardChangesOrEmpty().forEach((id, settings) -> {
            var c = classes.get(id);
            if (c == null) {
                errors.add("standardChanges." + id, "no standard change class " + id + "; known: " + String.join(", ", classes.keySet()));
            } else if (settings != null && settings.parameters() != null) {
                checkParameters("standardChanges." + id, id, c.parameters(), settings.parameters(), errors);
            }
        });
        errors.throwIfAny();
        return new PolicyDocument(document.rulesOrEmpty(), document.departmentsOrEmpty(), custom, document.standardChanges());
    }

    private static void checkSettings(String field, String id, PolicyDocument.RuleSettings settings,
                                      Map<String, PolicyRule> known, FieldErrors errors) {
        PolicyRule rule = known.get(id);
        if (rule == null) {
            errors.add(field, "no rule " + id + "; known rules: " + String.join(", ", known.keySet()));
            return;
        }
        if (settings == null || settings.parameters() == null) {
            return;
        }
        checkParameters(field, id, rule.parameters(), settings.parameters(), errors);
    }

    private static void checkParameters(String field, String id, List<RuleParameter> known, Map<String, Integer> given,
                                        FieldErrors errors) {
        given.forEach((name, value) -> {
            RuleParameter parameter = known.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
            if (parameter == null) {
                errors.add(field + ".parameters." + name, id + " has no parameter " + name);
            } else if (value == null || value < parameter.min() || value > parameter.max()) {
                errors.add(field + ".parameters." + name, "must be between " + parameter.min() + " and " + parameter.max());
            }
        });
    }
}
