package io.e2d.testkit;

/** Run by {@link FreePortsTest} as a second JVM: takes a port, prints it and holds its block until killed. */
public final class FreePortsChild {
    private FreePortsChild() {}

    public static void main(String[] args) throws InterruptedException {
        System.out.println(FreePorts.tcp());
        System.out.flush();
        Thread.currentThread().join();
    }
}
