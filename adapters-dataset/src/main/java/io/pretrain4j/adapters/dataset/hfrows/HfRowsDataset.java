package io.pretrain4j.adapters.dataset.hfrows;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.pretrain4j.adapters.dataset.json.JsonLines;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.domain.data.ConfigPageSampler;
import io.pretrain4j.domain.data.OffsetPageSampler;
import io.pretrain4j.domain.data.Page;
import io.pretrain4j.domain.data.PageSampler;
import io.pretrain4j.ports.dataset.DatasetErrorCode;
import io.pretrain4j.ports.dataset.TextDataset;
import java.util.ArrayList;
import java.util.List;

/**
 * A datasets-server dataset. The FineWeb style lists its configs with {@code /size} once per
 * {@link #sampler} call (the reference lists them once per round; the answer is the same while the
 * dataset does not change); pages are fetched with {@code /rows}, each retried on the same page.
 */
final class HfRowsDataset implements TextDataset {
    /**
     * Where the pages are and how they are drawn.
     *
     * @param maxOffset for {@link Preset.Style#OFFSETS}: offsets are drawn in [1, maxOffset]
     * @param fields the row fields holding the text, first present wins
     */
    record Layout(
            String dataset,
            Preset.Style style,
            String config,
            String split,
            long maxOffset,
            int rowsPerPage,
            List<String> fields) {
        Layout {
            requireNonNull(dataset, "dataset is null");
            fields = List.copyOf(fields);
        }
    }

    private final Layout layout;
    private final DatasetsServerClient client;

    HfRowsDataset(Layout layout, DatasetsServerClient client) {
        this.layout = requireNonNull(layout, "layout is null");
        this.client = requireNonNull(client, "client is null");
    }

    @Override
    public String id() {
        return "hf-rows:" + layout.dataset()
                + (layout.style() == Preset.Style.OFFSETS
                        ? "/" + layout.config() + "/" + layout.split() + "/offsets<=" + layout.maxOffset()
                        : "/configs")
                + "/rows-per-page=" + layout.rowsPerPage() + "/fields=" + String.join(",", layout.fields());
    }

    @Override
    public PageSampler sampler(int numPages) {
        return switch (layout.style()) {
            case OFFSETS ->
                new OffsetPageSampler(
                        layout.config(), layout.split(), 1, layout.maxOffset(), numPages, layout.rowsPerPage());
            case CONFIGS -> new ConfigPageSampler(client.splits(layout.dataset()), numPages, layout.rowsPerPage());
        };
    }

    @Override
    public List<String> fetch(Page page) {
        List<JsonNode> rows = client.rows(layout.dataset(), page.config(), page.split(), page.offset(), page.rows());
        List<String> texts = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            texts.add(text(rows.get(i), page, i));
        }
        return texts;
    }

    private String text(JsonNode row, Page page, int index) {
        for (String field : layout.fields()) {
            JsonNode value = row.get(field);
            if (value != null && value.isTextual()) {
                return value.textValue();
            }
        }
        throw new Pretrain4jException(
                DatasetErrorCode.DATASET_INVALID,
                layout.dataset() + " page " + page.name() + " row " + index + ": no string field "
                        + String.join(" or ", layout.fields()) + "; the row has " + JsonLines.names(row));
    }

    @Override
    public void close() {
        client.close();
    }
}
