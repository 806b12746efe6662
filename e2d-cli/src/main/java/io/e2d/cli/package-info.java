/** e2d CLI: the e2d command. */
@NullMarked
package io.e2d.cli;

import org.jspecify.annotations.NullMarked;
