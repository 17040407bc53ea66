package com.mailgov.directory.domains;

import com.mailgov.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static com.mailgov.testsupport.Api.admin;
import static com.mailgov.testsupport.Api.as;
import static com.mailgov.testsupport.Api.item;
import static com.mailgov.testsupport.Api.request;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

@QuarkusTest
class CompanyDomainsTest {

    @Inject
    DataSource dataSource;

    String sales;
    String requester;
    String approver;
    String domain;

    @BeforeEach
    void setUp() {
        sales = Api.department("SALES", "営業部");
        requester = Api.user("req", sales, "requester");
        approver = Api.user("appr", Api.department("SYS", "システム部"), "approver");
        domain = Api.unique("d").toLowerCase() + ".example";
    }

    @Test
    void theSeedIsDataAndAdminsManageDomainsThroughTheApi() {
        admin().get("/api/v1/domains").then().statusCode(200)
                .body("find { it.domain == 'corp.example' }.source", equalTo("SEED"));
        // Before the domain exists, its addresses are external: a mailbox there is refused, saying why.
        as(requester).body(request(sales, "box", item("CREATE", "MAILBOX", Map.of("address", "sato@" + domain))))
                .post("/api/v1/change-requests").then().statusCode(400)
                .body("errors[0].field", equalTo("items[0].spec.address"))
                .body("errors[0].message", containsString("company domain"));

        as(requester).body(Map.of("domain", domain)).post("/api/v1/domains").then().statusCode(403);
        admin().body(Map.of("domain", "Not A Domain")).post("/api/v1/domains").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("domain"));
        admin().body(Map.of("domain", domain.toUpperCase())).post("/api/v1/domains").then().statusCode(201)
                .body("domain", equalTo(domain)).body("source", equalTo("API")).body("directoryComplete", equalTo(false));
        admin().body(Map.of("domain", domain)).post("/api/v1/domains").then().statusCode(409);
        as(requester).get("/api/v1/domains").then().statusCode(200).body("domain", hasItem(domain));
        admin().get("/api/v1/audit?object={d}", domain).then().statusCode(200)
                .body("entries.action", contains("domain.added"));

        String id = Api.submit(requester, request(sales, "box", item("CREATE", "MAILBOX", Map.of("address", "sato@" + domain)),
                item("CREATE", "FORWARD", Map.of("source", "info@" + domain, "targets", List.of("sato@" + domain)))));
        Api.approve(approver, id).statusCode(200);

        // Removing the domain would make the mailbox and forward external: refused, listing them; nothing changes.
        admin().delete("/api/v1/domains/{d}", domain).then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:mailgov:problem:conflict"))
                .body("objectCount", equalTo(2))
                .body("objects.key", hasItem("sato@" + domain))
                .body("objects.kind", hasItem("FORWARD"));
        admin().get("/api/v1/domains").then().body("domain", hasItem(domain));

        // Once nothing uses it, it can go, and its addresses are external again.
        String cleanup = Api.submit(requester, request(sales, "cleanup",
                item("DELETE", "FORWARD", Map.of("source", "info@" + domain)),
                item("DELETE", "MAILBOX", Map.of("address", "sato@" + domain))));
        Api.approve(approver, cleanup).statusCode(200);
        admin().delete("/api/v1/domains/{d}", domain).then().statusCode(204);
        admin().get("/api/v1/domains").then().body("domain", not(hasItem(domain)));
        admin().delete("/api/v1/domains/{d}", domain).then().statusCode(404);
        admin().get("/api/v1/audit?object={d}", domain).then()
                .body("entries.action", contains("domain.removed", "domain.added"));
    }

    @Test
    void aDomainAddedByAnotherReplicaCountsAtTheNextRequest() throws Exception {
        // Warm this replica's cache, then change the table as another replica would (its own transaction).
        admin().get("/api/v1/domains").then().statusCode(200);
        as(requester).body(request(sales, "box", item("CREATE", "MAILBOX", Map.of("address", "ito@" + domain))))
                .post("/api/v1/change-requests").then().statusCode(400);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO company_domain (domain, source, created_by, created_at) VALUES ('" + domain
                    + "', 'API', 'other-replica', now())");
            s.executeUpdate("UPDATE company_domain_state SET version = version + 1 WHERE id = 1");
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        as(requester).body(request(sales, "box", item("CREATE", "MAILBOX", Map.of("address", "ito@" + domain))))
                .post("/api/v1/change-requests").then().log().ifValidationFails().statusCode(201);
    }

    @Test
    void aTypoInACompleteDomainIsAWarningThatSuggestsTheRealAddress() {
        admin().body(Map.of("domain", domain)).post("/api/v1/domains").then().statusCode(201);
        String setup = Api.submit(requester, request(sales, "boxes",
                item("CREATE", "MAILBOX", Map.of("address", "sato@" + domain)),
                item("CREATE", "MAILBOX", Map.of("address", "suzuki@" + domain)),
                item("CREATE", "MAILING_LIST", Map.of("address", "team@" + domain, "name", "Team"))));
        Api.approve(approver, setup).statusCode(200);
        Map<String, Object> typo = request(sales, "forward with a typo",
                item("CREATE", "FORWARD", Map.of("source", "desk@" + domain, "targets", List.of("satou@" + domain))),
                item("CREATE", "LIST_MEMBER", Map.of("list", "team@" + domain, "member", "suzuky@" + domain)));

        // While the directory of the domain is not known to be complete, "not in the directory" says nothing.
        as(requester).body(typo).post("/api/v1/change-requests").then().statusCode(201).body("findings", empty());

        as(requester).body(Map.of("directoryComplete", true)).put("/api/v1/domains/{d}", domain).then().statusCode(403);
        admin().body(Map.of("directoryComplete", true)).put("/api/v1/domains/{d}", domain).then().statusCode(200)
                .body("directoryComplete", equalTo(true));
        as(requester).body(typo).post("/api/v1/change-requests").then().statusCode(201)
                .body("highestSeverity", equalTo("WARN"))
                .body("findings.ruleId", contains("unknown-internal-address", "unknown-internal-address"))
                .body("findings.find { it.path[1] == 'satou@" + domain + "' }.message", containsString("Did you mean sato@" + domain + "?"))
                .body("findings.find { it.path[1] == 'suzuky@" + domain + "' }.message", containsString("Did you mean suzuki@" + domain + "?"))
                .body("findings[0].messageJa", containsString("誤りではありませんか"));

        // Creating the target in the same request, or pointing at a real address, is fine.
        as(requester).body(request(sales, "forward fixed",
                        item("CREATE", "FORWARD", Map.of("source", "desk@" + domain, "targets", List.of("sato@" + domain, "satou@" + domain))),
                        item("CREATE", "MAILBOX", Map.of("address", "satou@" + domain))))
                .post("/api/v1/change-requests").then().statusCode(201).body("findings", empty());
    }
}
