package io.csvx.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.svix.Svix;
import com.svix.SvixOptions;
import com.svix.models.AppPortalAccessIn;
import com.svix.models.AppPortalAccessOut;
import com.svix.models.ApplicationIn;
import com.svix.models.EndpointIn;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Tokens scoped to one application (Svix's app portal access): they reach that application's
/// routes by their capabilities and nothing else, and a logout ends them.
class AppPortalAccessE2ETest {
    @TempDir
    Path dir;

    private static String token(Api admin, String app, String body) {
        Api.Resp r = admin.post("/api/v1/auth/app-portal-access/" + app, body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.str("url")).contains("/portal/").contains("#key=");
        assertThat(r.str("token")).startsWith("appsk_");
        return r.str("token");
    }

    @Test
    void aTokenReachesItsApplicationByCapabilityAndNothingElse() {
        try (TestNode node = TestNode.start(dir)) {
            Api admin = node.api;
            admin.app("acme");
            admin.app("globex");
            String acmeEp = admin.endpoint("acme", "{\"url\":\"http://127.0.0.1:9/a\"}");
            String globexEp = admin.endpoint("globex", "{\"url\":\"http://127.0.0.1:9/g\"}");
            String globexMsg = admin.publish("globex", "a", "{\"secret\":\"globex-data\"}");
            String base = "http://127.0.0.1:" + node.app.port();

            try (Api acme = new Api(base, token(admin, "acme", "{}"))) {
                assertThat(acme.get("/api/v1/app/acme/endpoint").status()).isEqualTo(200);
                assertThat(acme.get("/api/v1/app/acme").status()).isEqualTo(200);
                assertThat(acme.get("/api/v1/event-type").status()).isEqualTo(200);
                // another application's every route, the listing, the admin's routes: refused alike
                List<String[]> refused = List.of(new String[] {"GET", "/api/v1/app/globex"},
                        new String[] {"GET", "/api/v1/app/globex/endpoint"},
                        new String[] {"GET", "/api/v1/app/globex/endpoint/" + globexEp},
                        new String[] {"GET", "/api/v1/app/globex/endpoint/" + globexEp + "/secret"},
                        new String[] {"GET", "/api/v1/app/globex/msg"},
                        new String[] {"GET", "/api/v1/app/globex/msg/" + globexMsg},
                        new String[] {"POST", "/api/v1/app/globex/endpoint"},
                        new String[] {"DELETE", "/api/v1/app/globex/endpoint/" + globexEp},
                        new String[] {"GET", "/api/v1/app/nobody/endpoint"},
                        new String[] {"GET", "/api/v1/app"},
                        new String[] {"POST", "/api/v1/app"},
                        new String[] {"POST", "/api/v1/event-type"},
                        new String[] {"POST", "/api/v1/auth/app-portal-access/acme"},
                        new String[] {"POST", "/api/v1/app/acme/msg"},
                        new String[] {"DELETE", "/api/v1/app/acme"});
                for (String[] r : refused) {
                    Api.Resp resp = acme.call(HttpMethod.fromString(r[0]), r[1], "{\"name\":\"x\",\"url\":\"http://127.0.0.1:9/x\"}",
                            Map.of());
                    assertThat(resp.status()).as(r[0] + " " + r[1]).isEqualTo(403);
                    assertThat(resp.str("code")).isEqualTo("forbidden");
                    assertThat(resp.text()).as(r[1]).doesNotContain("globex-data", globexEp);
                }
                // all capabilities (the default): manage endpoints, read and rotate secrets, resend
                assertThat(acme.get("/api/v1/app/acme/endpoint/" + acmeEp + "/secret").status()).isEqualTo(200);
                assertThat(acme.post("/api/v1/app/acme/endpoint", "{\"url\":\"http://127.0.0.1:9/b\"}").status())
                        .isEqualTo(201);
                assertThat(acme.post("/api/v1/app/acme/endpoint/" + acmeEp + "/secret/rotate", "{}").status())
                        .isEqualTo(204);
            }

            String viewOnly = token(admin, "acme", "{\"capabilities\": [\"ViewBase\"], \"expiry\": 3600}");
            try (Api view = new Api(base, viewOnly)) {
                assertThat(view.get("/api/v1/app/acme/endpoint/" + acmeEp).status()).isEqualTo(200);
                assertThat(view.get("/api/v1/app/acme/endpoint/" + acmeEp + "/secret").status()).isEqualTo(403);
                assertThat(view.post("/api/v1/app/acme/endpoint/" + acmeEp + "/secret/rotate", "{}").status())
                        .isEqualTo(403);
                assertThat(view.post("/api/v1/app/acme/endpoint", "{\"url\":\"http://127.0.0.1:9/c\"}").status())
                        .isEqualTo(403);
                assertThat(view.post("/api/v1/app/acme/endpoint/" + acmeEp + "/recover",
                        "{\"since\":\"2026-01-01T00:00:00Z\"}").status()).isEqualTo(403);
            }
            // each capability allows what it names
            try (Api secrets = new Api(base, token(admin, "acme", "{\"capabilities\": [\"ViewBase\", \"ViewEndpointSecret\"]}"));
                 Api rotate = new Api(base, token(admin, "acme", "{\"capabilities\": [\"ViewBase\", \"ManageEndpointSecret\"]}"));
                 Api attempts = new Api(base, token(admin, "acme", "{\"capabilities\": [\"ViewBase\", \"CreateAttempts\"]}"));
                 Api manage = new Api(base, token(admin, "acme", "{\"capabilities\": [\"ViewBase\", \"ManageEndpoint\"]}"))) {
                assertThat(secrets.get("/api/v1/app/acme/endpoint/" + acmeEp + "/secret").status()).isEqualTo(200);
                assertThat(secrets.post("/api/v1/app/acme/endpoint/" + acmeEp + "/secret/rotate", "{}").status())
                        .isEqualTo(403);
                assertThat(rotate.post("/api/v1/app/acme/endpoint/" + acmeEp + "/secret/rotate", "{}").status())
                        .isEqualTo(204);
                assertThat(attempts.post("/api/v1/app/acme/endpoint/" + acmeEp + "/recover",
                        "{\"since\":\"2026-01-01T00:00:00Z\"}").status()).isEqualTo(202);
                assertThat(attempts.post("/api/v1/app/acme/endpoint", "{\"url\":\"http://127.0.0.1:9/d\"}").status())
                        .isEqualTo(403);
                assertThat(manage.post("/api/v1/app/acme/endpoint", "{\"url\":\"http://127.0.0.1:9/e\"}").status())
                        .isEqualTo(201);
            }
            // bad requests for a token, and tokens that are not (any more)
            assertThat(admin.post("/api/v1/auth/app-portal-access/acme", "{\"expiry\": 60}").status()).isEqualTo(422);
            assertThat(admin.post("/api/v1/auth/app-portal-access/acme", "{\"capabilities\": [\"Everything\"]}").status())
                    .isEqualTo(422);
            assertThat(admin.post("/api/v1/auth/app-portal-access/nobody", "{}").status()).isEqualTo(404);
            try (Api forged = new Api(base, "appsk_" + "0".repeat(48))) {
                assertThat(forged.get("/api/v1/app/acme/endpoint").status()).isEqualTo(401);
            }
        }
    }

    @Test
    void aLogoutEndsTheTokenAndItsSession() {
        try (TestNode node = TestNode.start(dir)) {
            Api admin = node.api;
            admin.app("acme");
            String base = "http://127.0.0.1:" + node.app.port();
            String one = token(admin, "acme", "{\"sessionId\": \"user-7\"}");
            String two = token(admin, "acme", "{\"sessionId\": \"user-7\"}");
            String other = token(admin, "acme", "{\"sessionId\": \"user-8\"}");
            try (Api a = new Api(base, one); Api b = new Api(base, two); Api c = new Api(base, other)) {
                assertThat(b.get("/api/v1/app/acme").status()).isEqualTo(200);
                assertThat(a.post("/api/v1/auth/logout", "{}").status()).isEqualTo(204);
                assertThat(a.get("/api/v1/app/acme").status()).isEqualTo(401);
                assertThat(b.get("/api/v1/app/acme").status()).isEqualTo(401); // the same session
                assertThat(c.get("/api/v1/app/acme").status()).isEqualTo(200);
            }
            assertThat(admin.post("/api/v1/auth/logout", "{}").status()).isEqualTo(400);
            // the admin ends every token of the application at once
            try (Api c = new Api(base, other)) {
                assertThat(c.post("/api/v1/auth/app/acme/expire-all", "{}").status()).isEqualTo(403);
                assertThat(admin.post("/api/v1/auth/app/acme/expire-all", "{}").status()).isEqualTo(204);
                assertThat(c.get("/api/v1/app/acme").status()).isEqualTo(401);
            }
        }
    }

    @Test
    void svixsOwnSdkGetsAWorkingScopedTokenAndLogsItOut() throws Exception {
        try (TestNode node = TestNode.start(dir)) {
            SvixOptions options = new SvixOptions();
            options.setServerUrl("http://127.0.0.1:" + node.app.port());
            Svix admin = new Svix(TestNode.TOKEN, options);
            AppPortalAccessOut access = admin.getAuthentication().appPortalAccess("acme",
                    new AppPortalAccessIn().application(new ApplicationIn().name("Acme").uid("acme")));
            assertThat(access.getToken()).startsWith("appsk_");
            Svix portal = new Svix(access.getToken(), options);
            portal.getEndpoint().create("acme", new EndpointIn().url(URI.create("http://127.0.0.1:9/sdk")));
            assertThat(portal.getEndpoint().list("acme").getData()).hasSize(1);
            assertThatThrownBy(() -> portal.getApplication().list()).isInstanceOf(Exception.class);
            // this SDK's logout() builds a POST without a body, which its own HTTP client refuses
            // before sending (as its resend() does); the route is called as the SDK means to
            try (Api raw = new Api("http://127.0.0.1:" + node.app.port(), access.getToken())) {
                assertThat(raw.call(HttpMethod.POST, "/api/v1/auth/logout", null, Map.of()).status()).isEqualTo(204);
            }
            assertThatThrownBy(() -> portal.getEndpoint().list("acme")).isInstanceOf(Exception.class);
        }
    }
}
