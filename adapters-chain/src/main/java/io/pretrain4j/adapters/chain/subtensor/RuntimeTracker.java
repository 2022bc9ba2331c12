package io.pretrain4j.adapters.chain.subtensor;

import static java.lang.System.Logger.Level.INFO;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Follows the node's runtime: its version (which every signature commits to) and its metadata (call
 * indices, transaction extensions, storage types). A runtime upgrade, frequent on Bittensor, is
 * noticed when the version is next asked for, and the metadata is read again.
 */
final class RuntimeTracker {
    private static final System.Logger LOG = System.getLogger(RuntimeTracker.class.getName());

    /** What a runtime version brings: the versions a signature commits to, and the metadata. */
    record Runtime(long specVersion, long transactionVersion, String specName, RuntimeMetadata metadata) {}

    private final JsonRpcClient rpc;
    private final NodeReplies replies;
    private volatile Runtime known;

    RuntimeTracker(JsonRpcClient rpc, NodeReplies replies) {
        this.rpc = rpc;
        this.replies = replies;
        this.known = load(rpc.call("state_getRuntimeVersion"));
    }

    /** The runtime last seen, without asking the node (for reads between two checks). */
    Runtime known() {
        return known;
    }

    /** The runtime now: asks for its version and reads the metadata again when it changed. */
    Runtime current() {
        JsonNode version = rpc.call("state_getRuntimeVersion");
        Runtime seen = known;
        if (version != null
                && version.path("specVersion").asLong(-1) == seen.specVersion()
                && version.path("transactionVersion").asLong(-1) == seen.transactionVersion()) {
            return seen;
        }
        synchronized (this) {
            if (known != seen) {
                return known;
            }
            Runtime upgraded = load(version);
            LOG.log(
                    INFO,
                    "{0}: the runtime was upgraded from spec {1} (tx {2}) to spec {3} (tx {4}); metadata read again",
                    rpc.endpoint(),
                    seen.specVersion(),
                    seen.transactionVersion(),
                    upgraded.specVersion(),
                    upgraded.transactionVersion());
            known = upgraded;
            return upgraded;
        }
    }

    /** Reads the metadata of the runtime {@code version} describes and checks that pretrain4j can write to it. */
    private Runtime load(JsonNode version) {
        if (version == null
                || !version.path("specVersion").canConvertToLong()
                || !version.path("transactionVersion").canConvertToLong()) {
            throw replies.unavailable("state_getRuntimeVersion returned " + NodeReplies.abbreviate(version)
                    + " without specVersion and transactionVersion");
        }
        long specVersion = version.get("specVersion").asLong();
        RuntimeMetadata metadata =
                RuntimeMetadata.decode(replies.hex(rpc.call("state_getMetadata"), "state_getMetadata"));
        List<String> unknown = Extrinsics.unknown(metadata.signedExtensions());
        if (!unknown.isEmpty()) {
            throw replies.unavailable("the runtime (spec " + specVersion
                    + ") expects transaction extensions this client does not know: " + unknown + " (all: "
                    + metadata.signedExtensions() + "); update pretrain4j before writing to this chain");
        }
        metadata.call("SubtensorModule", "set_weights");
        metadata.call("Commitments", "set_commitment");
        return new Runtime(
                specVersion,
                version.get("transactionVersion").asLong(),
                version.path("specName").asText("?"),
                metadata);
    }
}
