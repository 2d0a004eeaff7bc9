package dev.postern.intake;

import java.util.List;

/** The unfinished resumable uploads of the report a source session holds, oldest first. */
@FunctionalInterface
public interface OpenUploads {
    /** For an instance without resumable uploads. */
    OpenUploads NONE = access -> List.of();

    List<UnfinishedUpload> of(SourceAccess access);
}
