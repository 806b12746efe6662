package io.e2d.cli.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Catches SIGTERM and SIGINT so that {@code e2d run} can stop etcd and exit 0 instead of being killed
 * with 143/130. Uses {@code sun.misc.Signal} from the {@code jdk.unsupported} module, through reflection
 * so that the build stays free of "internal proprietary API" warnings; when it is not available the
 * JVM's default handling stays (shutdown hooks still stop etcd). {@link #close()} restores the previous
 * handlers.
 */
public final class SignalTrap implements AutoCloseable {

    private final List<Object[]> previous;

    private SignalTrap(List<Object[]> previous) {
        this.previous = previous;
    }

    /**
     * Calls {@code onSignal} with the signal name ({@code "TERM"}, {@code "INT"}) when one of {@code
     * signals} arrives, on a JVM thread; the callback must not block.
     */
    public static SignalTrap install(List<String> signals, Consumer<String> onSignal) {
        List<Object[]> installed = new ArrayList<>();
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            for (String name : signals) {
                Object signal = signalClass.getConstructor(String.class).newInstance(name);
                Object handler = Proxy.newProxyInstance(
                        handlerClass.getClassLoader(), new Class<?>[] {handlerClass}, handler(name, onSignal));
                try {
                    Object old = handle.invoke(null, signal, handler);
                    installed.add(new Object[] {signal, old});
                } catch (ReflectiveOperationException | IllegalArgumentException e) {
                    // The JVM reserves this signal (e.g. started with -Xrs): keep its default handling.
                }
            }
            return new SignalTrap(installed);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new SignalTrap(installed);
        }
    }

    /** Whether at least one handler was installed. */
    public boolean isActive() {
        return !previous.isEmpty();
    }

    private static InvocationHandler handler(String name, Consumer<String> onSignal) {
        return (proxy, method, args) -> switch (method.getName()) {
            case "handle" -> {
                onSignal.accept(name);
                yield null;
            }
            case "equals" -> args != null && args.length == 1 && proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "e2d SIG" + name + " handler";
            default -> null;
        };
    }

    @Override
    public void close() {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            for (Object[] entry : previous) {
                @Nullable Object old = entry[1];
                if (old != null) {
                    handle.invoke(null, entry[0], old);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Nothing to restore.
        }
        previous.clear();
    }
}
