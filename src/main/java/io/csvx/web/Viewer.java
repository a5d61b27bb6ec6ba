package io.csvx.web;

import io.csvx.tenant.AppToken;

/// Who is looking at a page: the operator (every application, everything) or an application's
/// customer through a portal token (that application, what its capabilities allow).
sealed interface Viewer {
    /// The session's secret, from which its CSRF token is derived.
    String secret();

    boolean mayView(String appId);

    boolean mayReadSecrets();

    boolean mayRotateSecrets();

    boolean mayCreateAttempts();

    boolean mayManageEndpoints();

    /// The operator, signed in with the admin token.
    record Operator(String secret) implements Viewer {
        @Override
        public boolean mayView(String appId) {
            return true;
        }

        @Override
        public boolean mayReadSecrets() {
            return true;
        }

        @Override
        public boolean mayRotateSecrets() {
            return true;
        }

        @Override
        public boolean mayCreateAttempts() {
            return true;
        }

        @Override
        public boolean mayManageEndpoints() {
            return true;
        }
    }

    /// An application's customer, with a portal token's capabilities.
    record Customer(String secret, AppToken token) implements Viewer {
        @Override
        public boolean mayView(String appId) {
            return token.appId().equals(appId) && token.mayView();
        }

        @Override
        public boolean mayReadSecrets() {
            return token.mayReadSecrets();
        }

        @Override
        public boolean mayRotateSecrets() {
            return token.mayRotateSecrets();
        }

        @Override
        public boolean mayCreateAttempts() {
            return token.mayCreateAttempts();
        }

        @Override
        public boolean mayManageEndpoints() {
            return token.mayManageEndpoints();
        }
    }
}
