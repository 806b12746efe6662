/**
 * The {@code e2d} command line: {@link io.e2d.cli.E2dCommand} and its subcommands ({@code run}, {@code
 * version}, {@code completion}), {@link io.e2d.cli.Main} (the only {@code System.exit}) and the {@link
 * io.e2d.cli.ExitCodes exit codes}.
 */
@NullMarked
package io.e2d.cli;

import org.jspecify.annotations.NullMarked;
