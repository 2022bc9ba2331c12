package io.pretrain4j.adapters.hf.files;

import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.store.ModelFiles;
import io.pretrain4j.ports.store.ModelStoreErrorCode;
import io.pretrain4j.ports.store.RepoFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The files of a model directory that get published. */
public final class ModelDirectory {
    private ModelDirectory() {}

    /** The model files at the top of a directory, sorted, checked to make a model. */
    public static List<Path> modelFiles(String repoId, Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new Pretrain4jException(ModelStoreErrorCode.MODEL_FILES_INVALID, directory + " is not a directory");
        }
        try (Stream<Path> listing = Files.list(directory)) {
            List<Path> files = listing.filter(Files::isRegularFile).filter(p -> ModelFiles.isNeeded(p.getFileName().toString()))
                    .sorted().toList();
            List<RepoFile> asRepo = new ArrayList<>();
            for (Path file : files) {
                ModelFiles.checkName(repoId, file.getFileName().toString());
                asRepo.add(new RepoFile(file.getFileName().toString(), Files.size(file), Optional.empty(), Optional.empty()));
            }
            ModelFiles.checkComplete(repoId, directory.toString(), asRepo, asRepo);
            return files;
        } catch (IOException e) {
            throw Files2.io("cannot list " + directory, e);
        }
    }

}
