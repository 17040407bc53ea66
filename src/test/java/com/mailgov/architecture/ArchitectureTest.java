package com.mailgov.architecture;

import com.mailgov.security.Access;
import com.mailgov.security.Roles;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.quarkus.security.PermissionsAllowed;
import jakarta.annotation.security.RolesAllowed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shape of the code, kept by a test: entry points (ui, boot) and the features that face people
 * (guard, adoption, selfservice: they may use change requests and render their own pages) on top;
 * then change requests; then the services they build on (push, webhook, policy, directory, account,
 * audit, security); and leaves that know none of them (sieve, json, outbox, web, config).
 * Connectors talk to servers and know no service.
 */
class ArchitectureTest {

    private static final String BASE = "com.mailgov";
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(BASE);
    }

    /** Everything below the features that face people: they may render pages, these may not. */
    private static final String[] LOWER = {pkg("change"), pkg("push"), pkg("webhook"), pkg("policy"), pkg("directory"),
            pkg("account"), pkg("audit"), pkg("security"), pkg("sieve"), pkg("json"), pkg("outbox"), pkg("web"), pkg("config")};

    @Test
    void lowerPackagesDoNotUseTheUi() {
        check(noClasses().that().resideInAnyPackage(LOWER)
                .should().dependOnClassesThat().resideInAPackage(pkg("ui"))
                .because("the UI is a client of the services, never the other way round"));
    }

    @Test
    void lowerPackagesDoNotUseChangeRequests() {
        check(noClasses().that().resideInAnyPackage(LOWER).and().resideOutsideOfPackage(pkg("change"))
                .should().dependOnClassesThat().resideInAPackage(pkg("change"))
                .because("lower packages announce what happened (CDI events) instead of calling change requests;"
                        + " features built on requests (guard, adoption, selfservice) and the UI may use them"));
    }

    @Test
    void connectorsKnowNoService() {
        check(noClasses().that().resideInAPackage(pkg("push.connector"))
                .should().dependOnClassesThat(resideInAPackage(BASE + "..").and(simpleNameEndingWith("Service")))
                .orShould().dependOnClassesThat().resideInAnyPackage(pkg("change"), pkg("ui"), pkg("audit"),
                        pkg("security"), pkg("push.pipeline"), pkg("push.server"), pkg("webhook"), pkg("guard"),
                        pkg("adoption"))
                .because("a connector makes one server match the desired state it is given; the pipeline decides when"));
    }

    @Test
    void leavesDependOnNoFeature() {
        check(noClasses().that().resideInAnyPackage(pkg("sieve"), pkg("json"), pkg("outbox"), pkg("web"), pkg("config"))
                .should().dependOnClassesThat().resideInAnyPackage(pkg("change"), pkg("ui"), pkg("push"),
                        pkg("webhook"), pkg("guard"), pkg("adoption"), pkg("audit"), pkg("security"), pkg("boot"))
                .because("sieve, json, outbox, web and config are building blocks every feature may use"));
    }

    @Test
    void sieveReadsOnlyTheDirectoryModelAndPolicyFacts() {
        check(noClasses().that().resideInAPackage(pkg("sieve"))
                .should().dependOnClassesThat(resideInAPackage(BASE + "..").and(resideOutsideOfPackages(pkg("sieve"),
                        pkg("directory.spec"), pkg("policy.facts"), pkg("json"), pkg("web"), pkg("config"))))
                .because("the Sieve parser is a leaf: it knows scripts, specs and facts, not services"));
    }

    @Test
    void featurePackagesHaveNoCycles() {
        // The UI layer (com.mailgov.ui and the features' own pages) is on top and is left out here;
        // lowerPackagesDoNotUseTheUi keeps everything below it from pointing back up.
        check(slices().matching(BASE + ".(*)..").should().beFreeOfCycles()
                .ignoreDependency(resideInAPackage(pkg("ui")), DescribedPredicate.alwaysTrue())
                .ignoreDependency(simpleNameEndingWith("Page"), DescribedPredicate.alwaysTrue()));
    }

    @Test
    void endpointsAreGuardedByNamedRoleSets() {
        check(noClasses().should().beAnnotatedWith(RolesAllowed.class)
                .because("who may call an endpoint is a named set in security.Access, not a role list spelled out at each one"));
        check(noMethods().should().beAnnotatedWith(RolesAllowed.class)
                .because("who may call an endpoint is a named set in security.Access, not a role list spelled out at each one"));
        Set<String> sets = Access.setsOf(Roles.ALL);
        List<String> unknown = new ArrayList<>();
        for (JavaClass c : classes) {
            c.tryGetAnnotationOfType(PermissionsAllowed.class).ifPresent(a -> unknownSets(c.getName(), a, sets, unknown));
            for (JavaMethod m : c.getMethods()) {
                m.tryGetAnnotationOfType(PermissionsAllowed.class).ifPresent(a -> unknownSets(m.getFullName(), a, sets, unknown));
            }
        }
        assertEquals(List.of(), unknown, "@PermissionsAllowed names a set that security.Access does not define");
    }

    private static void unknownSets(String where, PermissionsAllowed annotation, Set<String> sets, List<String> unknown) {
        Arrays.stream(annotation.value()).filter(v -> !sets.contains(v)).forEach(v -> unknown.add(where + ": " + v));
    }

    private static String pkg(String name) {
        return BASE + "." + name + "..";
    }

    private static void check(ArchRule rule) {
        rule.check(classes);
    }
}
