package io.pretrain4j.adapters.chain.subtensor;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.chain.Hotkey;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Signs a call for the runtime it was built for (spec and transaction version, extensions), with a
 * mortal era from the head and the signer's next nonce, submits it with
 * {@code author_submitAndWatchExtrinsic} and waits until it is in a block.
 */
final class ExtrinsicSubmitter {
    private static final HexFormat HEX = HexFormat.of();

    private final JsonRpcClient rpc;
    private final NodeReplies replies;
    private final byte[] genesisHash;
    private final int eraPeriod;
    private final Duration inclusionTimeout;

    ExtrinsicSubmitter(
            JsonRpcClient rpc, NodeReplies replies, byte[] genesisHash, int eraPeriod, Duration inclusionTimeout) {
        this.rpc = rpc;
        this.replies = replies;
        this.genesisHash = genesisHash.clone();
        this.eraPeriod = eraPeriod;
        this.inclusionTimeout = inclusionTimeout;
    }

    /** Submits {@code call} (built from {@code runtime}'s metadata) signed by {@code signer}; returns the block it landed in. */
    long submit(RuntimeTracker.Runtime runtime, byte[] call, Hotkey signer, String what) {
        JsonNode nonceNode = rpc.call("system_accountNextIndex", signer.ss58Address());
        if (nonceNode == null || !nonceNode.canConvertToLong()) {
            throw replies.unavailable("system_accountNextIndex returned " + NodeReplies.abbreviate(nonceNode));
        }
        long block = replies.blockNumber(rpc.call("chain_getHeader"));
        byte[] birth = replies.hash32(rpc.call("chain_getBlockHash", block), "the hash of block " + block);
        Extrinsics.Context context = new Extrinsics.Context(
                runtime.specVersion(),
                runtime.transactionVersion(),
                genesisHash,
                Extrinsics.mortalEra(eraPeriod, block),
                birth,
                nonceNode.asLong());
        byte[] extrinsic =
                Extrinsics.signed(call, signer, context, runtime.metadata().signedExtensions());
        CompletableFuture<String> inBlock = new CompletableFuture<>();
        String subscription = rpc.subscribe(
                "author_submitAndWatchExtrinsic",
                status -> {
                    if (status == null) {
                        inBlock.completeExceptionally(
                                replies.unavailable("the connection dropped while " + what + " was pending"));
                    } else if (status.has("inBlock")) {
                        inBlock.complete(status.get("inBlock").asText());
                    } else if (status.has("finalized")) {
                        inBlock.complete(status.get("finalized").asText());
                    } else if (status.has("invalid")
                            || status.has("dropped")
                            || status.has("usurped")
                            || status.has("finalityTimeout")
                            || status.isTextual()
                                    && (status.asText().equals("invalid")
                                            || status.asText().equals("dropped"))) {
                        inBlock.completeExceptionally(replies.unavailable(
                                what + " by " + signer.ss58Address() + " was not included: " + status));
                    }
                },
                "0x" + HEX.formatHex(extrinsic));
        try {
            String hash = inBlock.get(inclusionTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return replies.blockNumber(rpc.call("chain_getHeader", hash));
        } catch (TimeoutException e) {
            throw replies.unavailable(what + " was not included within " + inclusionTimeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Pretrain4jException p
                    ? p
                    : replies.unavailable(what + " failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw replies.unavailable(what + " interrupted");
        } finally {
            rpc.forget(subscription);
        }
    }
}
