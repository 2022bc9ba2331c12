package io.pretrain4j.adapters.chain.keys;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.crypto.sr25519.Sr25519;
import io.pretrain4j.crypto.ss58.Ss58;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.chain.Hotkey;
import io.pretrain4j.ports.chain.Wallets;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Hotkey files in bittensor's layout and format: {@code <path>/<wallet>/hotkeys/<hotkey>}, plain JSON
 * with {@code accountId}, {@code publicKey}, {@code secretSeed} ("0x" + hex) and {@code ss58Address},
 * readable by bittensor's own wallet code; created with owner-only permissions. Reading derives the
 * public key from the seed and refuses a file whose keys disagree.
 */
final class BittensorWallets implements Wallets {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String NAME = "[A-Za-z0-9_-]{1,64}";
    private static final HexFormat HEX = HexFormat.of();

    private final Path path;
    private final SecureRandom random = new SecureRandom();

    BittensorWallets(Path path) {
        this.path = requireNonNull(path, "path is null").toAbsolutePath().normalize();
    }

    @Override
    public Path path() {
        return path;
    }

    private Path file(String wallet, String hotkey) {
        if (!wallet.matches(NAME) || !hotkey.matches(NAME)) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG,
                    "wallet and hotkey names are letters, digits, '_' and '-' (got '" + wallet + "', '" + hotkey
                            + "')");
        }
        return path.resolve(wallet).resolve("hotkeys").resolve(hotkey);
    }

    @Override
    public Hotkey create(String wallet, String hotkey) {
        Path file = file(wallet, hotkey);
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        byte[] publicKey = Sr25519.publicKey(seed);
        String address = Ss58.encode(publicKey);
        ObjectNode json = MAPPER.createObjectNode();
        json.put("accountId", "0x" + HEX.formatHex(publicKey));
        json.put("publicKey", "0x" + HEX.formatHex(publicKey));
        json.putNull("secretPhrase");
        json.put("secretSeed", "0x" + HEX.formatHex(seed));
        json.put("ss58Address", address);
        try {
            Files.createDirectories(file.getParent());
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            try (OutputStream out =
                    Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(MAPPER.writeValueAsBytes(json));
            }
        } catch (FileAlreadyExistsException e) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG,
                    "hotkey file " + file + " exists already; refusing to overwrite a key");
        } catch (IOException e) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG, "cannot write hotkey file " + file + ": " + e.getMessage(), e);
        }
        return new Hotkey(address, publicKey, seed);
    }

    @Override
    public Hotkey load(String wallet, String hotkey) {
        Path file = file(wallet, hotkey);
        JsonNode json;
        try {
            json = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG,
                    "cannot read hotkey file " + file + ": " + e.getMessage()
                            + (Files.exists(file)
                                    ? " (an encrypted hotkey is not supported; bittensor writes hotkeys unencrypted by default)"
                                    : ""),
                    e);
        }
        byte[] seed = hex(json, "secretSeed", 32, file);
        byte[] publicKey = Sr25519.publicKey(seed);
        String address = Ss58.encode(publicKey);
        if (json.hasNonNull("publicKey")
                && !("0x" + HEX.formatHex(publicKey))
                        .equalsIgnoreCase(json.get("publicKey").asText())) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG, file + ": publicKey does not belong to secretSeed");
        }
        if (json.hasNonNull("ss58Address")
                && !address.equals(json.get("ss58Address").asText())) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG,
                    file + ": ss58Address " + json.get("ss58Address").asText()
                            + " does not belong to secretSeed (it gives " + address + ")");
        }
        return new Hotkey(address, publicKey, seed);
    }

    private static byte[] hex(JsonNode json, String field, int bytes, Path file) {
        String text = json.path(field).asText("");
        if (!text.matches("0x[0-9a-fA-F]{" + (2 * bytes) + "}")) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG,
                    file + ": '" + field + "' must be 0x and " + (2 * bytes)
                            + " hex digits"
                            + (json.has("secretPhrase")
                                            && !json.get("secretPhrase").isNull()
                                            && !json.has(field)
                                    ? " (mnemonic-only files are not supported yet)"
                                    : ""));
        }
        return HEX.parseHex(text.substring(2));
    }

    @Override
    public List<String> list() {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(path)) {
            return names;
        }
        try (Stream<Path> wallets = Files.list(path)) {
            for (Path wallet : wallets.sorted().toList()) {
                Path hotkeys = wallet.resolve("hotkeys");
                if (Files.isDirectory(hotkeys)) {
                    try (Stream<Path> files = Files.list(hotkeys)) {
                        files.filter(Files::isRegularFile)
                                .sorted()
                                .forEach(f -> names.add(wallet.getFileName() + "/" + f.getFileName()));
                    }
                }
            }
        } catch (IOException e) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG, "cannot list " + path + ": " + e.getMessage(), e);
        }
        return names;
    }

    @Override
    public boolean isValidAddress(String address) {
        return Ss58.decode(address).isPresent();
    }

    @Override
    public Optional<String> coldkeyAddress(String wallet) {
        if (!wallet.matches(NAME)) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG,
                    "wallet names are letters, digits, '_' and '-' (got '"
                            + (wallet.length() > 40 ? wallet.substring(0, 40) + "..." : wallet) + "')");
        }
        Path file = path.resolve(wallet).resolve("coldkeypub.txt");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG, "cannot read " + file + ": " + e.getMessage(), e);
        }
        String address = json == null ? "" : json.path("ss58Address").asText("");
        Optional<byte[]> key = Ss58.decode(address);
        if (key.isEmpty()) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG, file + ": ss58Address is missing or not an SS58 address");
        }
        if (json.hasNonNull("publicKey")
                && !("0x" + HEX.formatHex(key.get()))
                        .equalsIgnoreCase(json.get("publicKey").asText())) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG, file + ": publicKey does not match ss58Address");
        }
        return Optional.of(address);
    }

    @Override
    public byte[] sign(Hotkey hotkey, byte[] message) {
        return Sr25519.sign(hotkey.secretSeed(), message);
    }

    @Override
    public boolean verify(String address, byte[] message, byte[] signature) {
        Optional<byte[]> key = Ss58.decode(address);
        if (key.isEmpty()) {
            return false;
        }
        if (Sr25519.verify(key.get(), message, signature)) {
            return true;
        }
        byte[] open = "<Bytes>".getBytes(StandardCharsets.US_ASCII);
        byte[] close = "</Bytes>".getBytes(StandardCharsets.US_ASCII);
        byte[] wrapped = new byte[open.length + message.length + close.length];
        System.arraycopy(open, 0, wrapped, 0, open.length);
        System.arraycopy(message, 0, wrapped, open.length, message.length);
        System.arraycopy(close, 0, wrapped, open.length + message.length, close.length);
        return Sr25519.verify(key.get(), wrapped, signature);
    }
}
