package io.pretrain4j.adapters.dataset.hfrows;

import io.pretrain4j.testing.fakes.FakeDatasetsServer;
import java.io.InputStream;
import java.util.List;

/** Fake datasets shaped like the reference's, with rows from the shipped Brown sample. */
final class Fakes {
    static final List<String> DOCUMENTS = documents();

    static final FakeDatasetsServer.Dataset FALCON = new FakeDatasetsServer.Dataset(
            "tiiuae/falcon-refinedweb",
            "content",
            List.of(new FakeDatasetsServer.Config("default", "train", 968_000_015L + 50)),
            DOCUMENTS);

    static final FakeDatasetsServer.Dataset FINEWEB = new FakeDatasetsServer.Dataset(
            "HuggingFaceFW/fineweb",
            "text",
            List.of(
                    new FakeDatasetsServer.Config("default", "train", 22_000_000_000L),
                    new FakeDatasetsServer.Config("CC-MAIN-2013-20", "train", 113_811_423L),
                    new FakeDatasetsServer.Config("CC-MAIN-2024-10", "train", 210_000_000L),
                    new FakeDatasetsServer.Config("sample-10BT", "train", 14_868_862L)),
            DOCUMENTS);

    private Fakes() {}

    private static List<String> documents() {
        InputStream in = Fakes.class.getResourceAsStream("/io/pretrain4j/adapters/dataset/local/brown-sample.jsonl.gz");
        // short documents keep the pages small; the text stays real prose
        return FakeDatasetsServer.documents(in, 250).stream()
                .map(text -> text.substring(0, Math.min(600, text.length())))
                .toList();
    }
}
