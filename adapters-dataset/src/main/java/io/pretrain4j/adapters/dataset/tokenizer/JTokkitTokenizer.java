package io.pretrain4j.adapters.dataset.tokenizer;

import static java.util.Objects.requireNonNull;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingResult;
import com.knuddels.jtokkit.api.IntArrayList;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.data.WellFormedText;
import io.pretrain4j.ports.dataset.DatasetErrorCode;
import io.pretrain4j.ports.dataset.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A Hugging Face byte-level BPE tokenizer reproduced on JTokkit. As the Hugging Face tokenizer
 * does, the text is first split on the added tokens (leftmost match), which become their ids; the
 * pieces between are encoded as ordinary text. Truncation encodes only up to the limit, so a huge
 * document costs no more than {@link #modelMaxLength()} tokens.
 */
final class JTokkitTokenizer implements Tokenizer {
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
    private static final int TRUNCATION_SLACK = 8;

    private final TokenizerSpec spec;
    private final Encoding encoding;
    private final String[] specialTexts;
    private final int[] specialIds;
    private final Map<Integer, String> specialById = new HashMap<>();

    JTokkitTokenizer(TokenizerSpec spec) {
        this.spec = requireNonNull(spec, "spec is null");
        this.encoding = REGISTRY.getEncoding(spec.encoding());
        this.specialTexts = spec.specialTokens().keySet().toArray(String[]::new);
        this.specialIds = new int[specialTexts.length];
        for (int i = 0; i < specialTexts.length; i++) {
            specialIds[i] = spec.specialTokens().get(specialTexts[i]);
            specialById.put(specialIds[i], specialTexts[i]);
        }
    }

    @Override
    public String id() {
        return spec.id();
    }

    @Override
    public int[] encode(String text) {
        return encode(text, Integer.MAX_VALUE);
    }

    @Override
    public int[] encodeDocument(String text) {
        return encode(text, spec.modelMaxLength());
    }

    private int[] encode(String raw, int maxTokens) {
        requireNonNull(raw, "text is null");
        String text = WellFormedText.of(raw);
        IntArrayList out = new IntArrayList(Math.min(maxTokens, Math.max(16, text.length() / 3)));
        int from = 0;
        while (from < text.length() && out.size() < maxTokens) {
            int at = text.indexOf("<|", from);
            int special = -1;
            while (at >= 0) {
                special = specialAt(text, at);
                if (special >= 0) {
                    break;
                }
                at = text.indexOf("<|", at + 1);
            }
            int end = at >= 0 ? at : text.length();
            if (end > from) {
                appendOrdinary(out, text.substring(from, end), maxTokens);
            }
            if (at < 0) {
                break;
            }
            if (out.size() < maxTokens) {
                out.add(specialIds[special]);
            }
            from = at + specialTexts[special].length();
        }
        return out.toArray();
    }

    private void appendOrdinary(IntArrayList out, String piece, int maxTokens) {
        int budget = maxTokens - out.size();
        if (budget <= 0) {
            return;
        }
        IntArrayList tokens;
        if (budget >= Integer.MAX_VALUE - TRUNCATION_SLACK) {
            tokens = encoding.encodeOrdinary(piece);
        } else {
            // JTokkit's truncation backs off so as not to split a UTF-8 character; Hugging Face cuts
            // exactly. Ask for a few more tokens and cut here; fall back to the full encoding in the
            // unlikely case the back-off ate into the budget.
            EncodingResult result = encoding.encodeOrdinary(piece, budget + TRUNCATION_SLACK);
            tokens = result.isTruncated() && result.getTokens().size() < budget
                    ? encoding.encodeOrdinary(piece)
                    : result.getTokens();
        }
        for (int i = 0; i < tokens.size() && out.size() < maxTokens; i++) {
            out.add(tokens.get(i));
        }
    }

    private int specialAt(String text, int at) {
        int best = -1;
        for (int i = 0; i < specialTexts.length; i++) {
            if (text.startsWith(specialTexts[i], at)
                    && (best < 0 || specialTexts[i].length() > specialTexts[best].length())) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public String decode(int[] tokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(tokens.length * 4);
        IntArrayList run = new IntArrayList();
        for (int token : tokens) {
            String special = specialById.get(token);
            if (special != null) {
                flush(run, bytes);
                bytes.writeBytes(special.getBytes(StandardCharsets.UTF_8));
            } else if (token < 0 || token >= spec.vocabSize()) {
                throw new Pretrain4jException(
                        DatasetErrorCode.DATASET_INVALID,
                        "token id " + token + " is outside the vocabulary of " + spec.id() + " (0.."
                                + (spec.vocabSize() - 1) + ")");
            } else {
                run.add(token);
            }
        }
        flush(run, bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void flush(IntArrayList run, ByteArrayOutputStream bytes) {
        if (!run.isEmpty()) {
            bytes.writeBytes(encoding.decodeBytes(run));
            run.clear();
        }
    }

    @Override
    public int eosTokenId() {
        return spec.eosTokenId();
    }

    @Override
    public int vocabSize() {
        return spec.vocabSize();
    }

    @Override
    public int modelMaxLength() {
        return spec.modelMaxLength();
    }

    @Override
    public String toString() {
        return "jtokkit:" + spec.id();
    }
}
