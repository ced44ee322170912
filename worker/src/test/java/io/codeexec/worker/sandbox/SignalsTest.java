package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SignalsTest {
    @Test
    void namesOfCommonSignals() {
        assertEquals("SIGHUP", Signals.name(1));
        assertEquals("SIGABRT", Signals.name(6));
        assertEquals("SIGFPE", Signals.name(8));
        assertEquals("SIGKILL", Signals.name(Signals.SIGKILL));
        assertEquals("SIGSEGV", Signals.name(11));
        assertEquals("SIGPIPE", Signals.name(13));
        assertEquals("SIGTERM", Signals.name(15));
        assertEquals("SIGXCPU", Signals.name(Signals.SIGXCPU));
        assertEquals("SIGXFSZ", Signals.name(Signals.SIGXFSZ));
        assertEquals("SIGSYS", Signals.name(31));
    }

    @Test
    void constantsAreTheLinuxNumbers() {
        assertEquals(9, Signals.SIGKILL);
        assertEquals(24, Signals.SIGXCPU);
        assertEquals(25, Signals.SIGXFSZ);
    }

    @Test
    void noSignalAndUnknownSignals() {
        assertNull(Signals.name(0));
        assertNull(Signals.name(-1));
        assertEquals("SIG34", Signals.name(34));
        assertEquals("SIG64", Signals.name(64));
    }
}
