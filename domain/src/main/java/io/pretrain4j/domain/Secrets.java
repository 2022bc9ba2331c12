package io.pretrain4j.domain;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one place secrets are taken out of text. Adapters {@link #register} every secret they are
 * configured with (a Hub token, a W&amp;B key) together with the exact forms they send (an HTTP Basic
 * header); {@link #redact} replaces each of them, and their base64 and URL-encoded spellings, with
 * {@value #MASK}. It is applied where text leaves the process's control: every
 * {@link Pretrain4jException} message (so every message that crosses a port), every log line (the
 * launcher's log formatter), the state file and the step log. Servers and proxies that echo an
 * {@code Authorization} header into an error body are why: that body is quoted in errors.
 */
public final class Secrets {
    /** What a secret becomes. */
    public static final String MASK = "<redacted>";
    /** Shorter values are not treated as secrets: masking them would garble ordinary text. */
    static final int MIN_LENGTH = 6;

    private static final List<String> FORMS = new CopyOnWriteArrayList<>();

    private Secrets() {}

    /**
     * Registers {@code secret} and the forms it is sent in; its raw, URL-encoded and base64
     * (standard and URL-safe, with and without padding) spellings are added.
     */
    public static void register(String secret, String... sentForms) {
        if (secret == null || secret.length() < MIN_LENGTH) {
            return;
        }
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        forms.add(Base64.getEncoder().encodeToString(bytes));
        forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
        forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        for (String sent : sentForms) {
            if (sent != null && sent.length() >= MIN_LENGTH) {
                forms.add(sent);
                forms.add(URLEncoder.encode(sent, StandardCharsets.UTF_8));
            }
        }
        synchronized (FORMS) {
            for (String form : forms) {
                if (form.length() >= MIN_LENGTH && !FORMS.contains(form)) {
                    FORMS.add(form);
                }
            }
            // longest first, so that a form containing another is masked whole
            List<String> sorted = FORMS.stream()
                    .sorted(Comparator.comparingInt(String::length).reversed())
                    .toList();
            FORMS.clear();
            FORMS.addAll(sorted);
        }
    }

    /** {@code text} with every registered secret form replaced by {@value #MASK}; null stays null. */
    public static String redact(String text) {
        if (text == null || FORMS.isEmpty()) {
            return text;
        }
        String result = text;
        for (String form : FORMS) {
            if (result.contains(form)) {
                result = result.replace(form, MASK);
            }
        }
        return result;
    }

    /** Whether any secret is registered (tests). */
    static boolean any() {
        return !FORMS.isEmpty();
    }
}
