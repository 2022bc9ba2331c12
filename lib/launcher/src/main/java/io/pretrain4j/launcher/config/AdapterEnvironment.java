package io.pretrain4j.launcher.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment variables operators know from the Python tools (HF_TOKEN, HF_ENDPOINT,
 * WANDB_API_KEY, WANDB_BASE_URL, BT_SUBTENSOR_CHAIN_ENDPOINT, BT_WALLET_PATH), turned into the keys of
 * the factories that are configured, beneath whatever the config file sets. The launcher reads the
 * environment once, here; adapters only see their keys (a plugin factory is configured the same way).
 */
public final class AdapterEnvironment {
    private AdapterEnvironment() {}

    /** Keys to fall back to: the variables that apply to the chosen factories. */
    static Config defaults(Config resolved, Map<String, String> environment, String home) {
        Map<String, Object> keys = new LinkedHashMap<>();
        String root = LauncherConfig.ROOT + ".";
        if (chosen(resolved, root + "store.remote", "hf")) {
            put(keys, environment, "HF_TOKEN", root + "store.remote-config.token");
            put(keys, environment, "HF_ENDPOINT", root + "store.remote-config.endpoint");
        }
        if (chosen(resolved, root + "store.remote", "wandb")) {
            put(keys, environment, "WANDB_API_KEY", root + "store.remote-config.api-key");
            put(keys, environment, "WANDB_BASE_URL", root + "store.remote-config.base-url");
        }
        if (chosen(resolved, root + "run-log.logger", "wandb")) {
            put(keys, environment, "WANDB_API_KEY", root + "run-log.logger-config.api-key");
            put(keys, environment, "WANDB_BASE_URL", root + "run-log.logger-config.base-url");
        }
        if (chosen(resolved, root + "chain.backend", "subtensor")) {
            put(keys, environment, "BT_SUBTENSOR_CHAIN_ENDPOINT", root + "chain.backend-config.endpoint");
        }
        if (resolved.hasPath(root + "inference.backend")) {
            try {
                inferenceKeys(resolved.getString(root + "inference.backend"), environment)
                        .forEach((key, value) -> keys.put(root + "inference.backend-config." + key, value));
            } catch (ConfigException.WrongType e) {
                // the validator's config check names it
            }
        }
        if (chosen(resolved, root + "wallets.backend", "bittensor")) {
            String path = environment.getOrDefault("BT_WALLET_PATH", "");
            keys.put(root + "wallets.backend-config.path", path.isBlank() ? home + "/.bittensor/wallets" : path);
        }
        if (resolved.hasPath(root + "data.datasets")
                && resolved.getValue(root + "data.datasets").valueType() == ConfigValueType.OBJECT) {
            for (Map.Entry<String, ConfigValue> dataset :
                    resolved.getObject(root + "data.datasets").entrySet()) {
                if (dataset.getValue().valueType() == ConfigValueType.OBJECT
                        && dataset.getKey().matches("[A-Za-z0-9_-]{1,64}")
                        && "hf-rows".equals(((Map<?, ?>) dataset.getValue().unwrapped()).get("factory"))) {
                    put(keys, environment, "HF_TOKEN", root + "data.datasets." + dataset.getKey() + ".token");
                }
            }
        }
        return ConfigFactory.parseMap(keys, "environment (adapter defaults)");
    }

    /**
     * The keys the environment gives inference backend {@code backend}: for {@code onnx-runtime},
     * {@code ort-disable-telemetry} from {@code $ORT_DISABLE_TELEMETRY} (ONNX Runtime's native library
     * reads the variable itself; the factory refuses to start unless it is 1 or telemetry is allowed).
     */
    public static Map<String, String> inferenceKeys(String backend, Map<String, String> environment) {
        String value = environment.get("ORT_DISABLE_TELEMETRY");
        return backend.equals("onnx-runtime") && value != null && !value.isBlank()
                ? Map.of("ort-disable-telemetry", value)
                : Map.of();
    }

    /** A wallet path written {@code ~/...} in the config, with the home directory put in. */
    static Config expansions(Config resolved, String home) {
        String key = LauncherConfig.ROOT + ".wallets.backend-config.path";
        Map<String, Object> keys = new LinkedHashMap<>();
        try {
            if (resolved.hasPath(key) && resolved.getString(key).startsWith("~/")) {
                keys.put(key, home + resolved.getString(key).substring(1));
            }
        } catch (ConfigException.WrongType e) {
            // not a string: the wallets factory names the problem
        }
        return ConfigFactory.parseMap(keys, "home directory");
    }

    private static boolean chosen(Config resolved, String key, String factory) {
        try {
            return resolved.hasPath(key) && factory.equals(resolved.getString(key));
        } catch (ConfigException.WrongType e) {
            return false;
        }
    }

    private static void put(Map<String, Object> keys, Map<String, String> environment, String variable, String key) {
        String value = environment.get(variable);
        if (value != null && !value.isBlank()) {
            keys.put(key, value);
        }
    }
}
