package com.mailgov.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The shape of the code, kept by a test: entry points (ui, boot) on top, then the feature packages
 * (change; guard and adoption, which may use change's services), then the services they build on
 * (push, webhook, policy, directory, account, audit, security), and leaves that know none of them
 * (sieve, json, outbox, web, config). Connectors talk to servers and know no service.
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

    @Test
    void nothingButTheEntryPointsUsesTheUi() {
        check(noClasses().that().resideOutsideOfPackages(pkg("ui"), pkg("boot"))
                .should().dependOnClassesThat().resideInAPackage(pkg("ui"))
                .because("the UI is a client of the services, never the other way round"));
    }

    @Test
    void onlyTheUiAndTheFeaturesBuiltOnRequestsUseChange() {
        check(noClasses().that().resideOutsideOfPackages(pkg("change"), pkg("ui"), pkg("boot"), pkg("guard"), pkg("adoption"))
                .should().dependOnClassesThat().resideInAPackage(pkg("change"))
                .because("lower packages announce what happened (CDI events) instead of calling change requests"));
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
        check(slices().matching(BASE + ".(*)..").should().beFreeOfCycles());
    }

    private static String pkg(String name) {
        return BASE + "." + name + "..";
    }

    private static void check(ArchRule rule) {
        rule.check(classes);
    }
}
