package io.e2d.cli.internal;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The value of {@code --snapshot-compression}. */
public enum SnapshotCompression {
    /** No compression (the default). */
    NONE,
    /** gzip, the only codec of Go e2d; what a bare {@code --snapshot-compression} means. */
    GZIP,
    /** zstd. */
    ZSTD;

    /** Reads gzip, zstd or none; true and false as Go e2d's boolean flag and variable meant them. */
    public static final class Converter implements ITypeConverter<SnapshotCompression> {
        @Override
        public SnapshotCompression convert(String value) {
            switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "gzip", "true", "t", "1":
                    return GZIP;
                case "zstd":
                    return ZSTD;
                case "none", "false", "f", "0", "":
                    return NONE;
                default:
                    throw new TypeConversionException(
                            "invalid compression \"" + value + "\": expected gzip, zstd or none");
            }
        }
    }
}
