package org.cyphon.cli;

import java.nio.file.Path;
import java.util.Map;
import org.cyphon.coordinator.CoordinatorConfig;
import org.cyphon.coordinator.StorePassword;

/**
 * The store a command's flags and environment name: {@code --store URL}, the password from
 * {@code --store-password-file FILE} or {@code $CYPHON_STORE_PASSWORD}. Never from a flag's value
 * itself: every local user reads command lines with {@code ps}. With neither, the PostgreSQL
 * driver looks in {@code ~/.pgpass} by itself.
 */
final class StoreOptions {
    private StoreOptions() {}

    /**
     * @param url          {@code --store}, or null to keep the config's store
     * @param passwordFile {@code --store-password-file}, or null
     * @throws IllegalArgumentException naming the flag and the problem
     */
    static CoordinatorConfig apply(CoordinatorConfig config, String url, Path passwordFile, Map<String, String> env) {
        if (url != null && url.isBlank()) throw new IllegalArgumentException("--store: is empty");
        String storeUrl = url != null ? url : config.storeUrl();
        if (storeUrl == null || storeUrl.isBlank())
            throw new IllegalArgumentException(
                    "--store-password-file: needs --store URL (the embedded database has none)");
        String password;
        if (passwordFile != null) {
            try {
                password = StorePassword.fromFile(passwordFile);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--store-password-file: " + e.getMessage());
            }
        } else {
            password = env.getOrDefault(StorePassword.ENV, config.storePassword());
        }
        try {
            return config.withStore(storeUrl, url != null ? "" : config.storeUser(), password);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^store\\.url", "--store"));
        }
    }
}
