package io.codeexec.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The playground at {@code /} in Debian's real headless Chromium (driven by Playwright, which downloads
 * no browser of its own) against the real stack: Redis, the API and a worker running the real runner
 * images. Screenshots of every run, at laptop and phone sizes, go to target/playground-screenshots/.
 */
class PlaygroundBrowserIT {
    static final Path SCREENSHOTS = Path.of("target", "playground-screenshots");
    private static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium");
    private static final Pattern STATS = Pattern.compile("\\d+ ms · cpu \\d+ ms · [\\d.]+ [KM]B · exit 0");

    /** The two screens the page must look right on. */
    enum Screen {
        LAPTOP(1366, 768, false), PHONE(390, 844, true);

        final int width;
        final int height;
        final boolean mobile;

        Screen(int width, int height, boolean mobile) {
            this.width = width;
            this.height = height;
            this.mobile = mobile;
        }
    }

    private static Stack stack;
    private static Playwright playwright;
    private static Browser browser;
    private final List<Tab> tabs = new ArrayList<>();

    /** A browser context with what its pages asked the network for and every error they logged. */
    private record Tab(BrowserContext context, PlaygroundPage page, List<Request> requests, List<String> errors,
                       List<String> failed) {}

    @BeforeAll
    static void start() throws InterruptedException {
        assertTrue(Files.isExecutable(Path.of(CHROMIUM)), CHROMIUM + " is missing: run scripts/ensure-chromium.sh");
        stack = Stack.start(1, 2);
        awaitLanguages("python", "c");
        PlaywrightAssertions.setDefaultAssertionTimeout(PlaygroundPage.STEP_TIMEOUT_MS);
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Path.of(CHROMIUM)).setHeadless(true));
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    /** Every tab of a test: only same-origin requests (the page works offline) and no error logged. */
    @AfterEach
    void everyRequestStayedOnTheApisOriginAndNothingFailed() {
        try {
            for (Tab tab : tabs) {
                assertEquals(List.of(), tab.failed(), "the page's own files and the language list must load");
                assertEquals(List.of(), tab.errors(), "errors in the page's console");
                List<String> urls = tab.requests().stream().map(Request::url).toList();
                assertTrue(urls.stream().anyMatch(u -> u.endsWith("/languages")), "requests were recorded: " + urls);
                List<String> foreign = urls.stream().filter(u -> !u.startsWith(base() + "/") && !u.startsWith("data:")).toList();
                assertEquals(List.of(), foreign, "requests to another origin");
            }
        } finally {
            tabs.forEach(tab -> tab.context().close());
        }
    }

    @ParameterizedTest
    @EnumSource(Screen.class)
    void pythonHelloWorldShowsItsOutputVerdictTimeAndMemory(Screen screen) {
        PlaygroundPage page = open(screen, "/");
        String code = "print(\"Hello, World!\")\n";
        page.language("python").code(code).runWithKeyboard();

        assertEquals("completed", page.status(), page.message());
        assertThat(page.verdict()).hasText("OK");
        assertEquals("Hello, World!\n", page.output());
        assertTrue(STATS.matcher(page.stats()).matches(), page.stats());
        assertEquals(code, page.code(), "Ctrl+Enter ran the code without editing it");
        assertFollowedLiveOrLongPolled(tabs.getLast());
        assertLaidOutFor(screen, page);
        page.screenshot(SCREENSHOTS.resolve("python-hello-" + screen.name().toLowerCase() + ".png"));
    }

    @ParameterizedTest
    @EnumSource(Screen.class)
    void cCompileErrorShowsTheCompilersMessage(Screen screen) {
        PlaygroundPage page = open(screen, "/");
        page.language("c").code("#include <stdio.h>\n\nint main(void) {\n    printf(\"%d\\n\", undefined_name);\n    return 0;\n}\n")
                .runWithButton();

        assertEquals("completed", page.status(), page.message());
        assertThat(page.verdict()).hasText("Compile error");
        assertThat(page.compileOutput()).isVisible();
        String compiler = page.compileOutput().textContent();
        assertTrue(compiler.contains("undefined_name") && compiler.contains("error"), compiler);
        assertLaidOutFor(screen, page);
        page.screenshot(SCREENSHOTS.resolve("c-compile-error-" + screen.name().toLowerCase() + ".png"));
    }

    @Test
    void sharedLinkRestoresLanguageCodeAndStdin() {
        PlaygroundPage author = open(Screen.LAPTOP, "/");
        String code = "name = input()\nprint(f\"Grüße, {name} ✓\")\n";
        author.language("python").code(code).stdin("Ada");
        author.page.click("#share");
        String link = author.page.url();
        assertTrue(link.startsWith(base() + "/#v1."), link);

        PlaygroundPage reader = open(Screen.PHONE, link.substring(base().length()));  // another browser profile
        assertEquals("python", reader.language());
        assertEquals(code, reader.code());
        assertEquals("Ada", reader.stdin());
        reader.runWithButton();
        assertEquals("Grüße, Ada ✓\n", reader.output());
    }

    @Test
    void stopCancelsTheRunningJob() {
        PlaygroundPage page = open(Screen.LAPTOP, "/");
        page.language("python").code("import time\nprint('started', flush=True)\ntime.sleep(60)\n");
        page.page.click("#run");
        assertThat(page.page.locator("#status")).hasText(Pattern.compile("queued|running"));
        assertThat(page.page.locator("#run")).hasText(Pattern.compile("Stop"));
        page.runWithButton();  // the same button, now Stop

        assertEquals("cancelled", page.status(), page.message());
        assertThat(page.verdict()).hasText("Cancelled");
        assertThat(page.page.locator("#run")).hasText(Pattern.compile("Run"));
        assertTrue(tabs.getLast().requests().stream().anyMatch(r -> r.method().equals("DELETE")), "the job was cancelled");
    }

    @Test
    void apiKeyIsRememberedAndSentAsBearer() {
        PlaygroundPage page = open(Screen.LAPTOP, "/");
        page.page.click("#key-box summary");
        page.page.fill("#api-key", "pg-test-key");
        page.page.press("#api-key", "Tab");
        page.page.reload();
        page.open(page.page.url());
        assertEquals("pg-test-key", page.page.inputValue("#api-key"), "kept in localStorage");

        page.language("python").code("print(1)\n").runWithButton();
        Request submit = tabs.getLast().requests().stream()
                .filter(r -> r.method().equals("POST") && r.url().endsWith("/jobs")).findFirst().orElseThrow();
        assertEquals("Bearer pg-test-key", submit.headers().get("authorization"));
    }

    /** The page follows GET /jobs/{id}/events when the server has it, and long-polls only when it has not. */
    private static void assertFollowedLiveOrLongPolled(Tab tab) {
        Request events = tab.requests().stream().filter(r -> r.url().endsWith("/events")).findFirst()
                .orElseThrow(() -> new AssertionError("the page never asked for the job's events"));
        Response answer = events.response();
        boolean streamed = answer != null && answer.status() == 200
                && answer.headers().getOrDefault("content-type", "").startsWith("text/event-stream");
        boolean polled = tab.requests().stream().anyMatch(r -> r.url().contains("?wait="));
        assertEquals(!streamed, polled, "events answered " + (answer == null ? "nothing" : answer.status())
                + "; long-polled: " + polled);
    }

    private PlaygroundPage open(Screen screen, String path) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(screen.width, screen.height).setIsMobile(screen.mobile).setHasTouch(screen.mobile));
        context.setDefaultTimeout(PlaygroundPage.STEP_TIMEOUT_MS);
        Page page = context.newPage();
        List<Request> requests = new CopyOnWriteArrayList<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        page.onRequest(requests::add);
        page.onPageError(errors::add);
        List<String> failed = new CopyOnWriteArrayList<>();
        page.onRequestFailed(request -> {
            if (!request.url().contains("/jobs")) {  // Stop aborts the job's requests on purpose
                failed.add(request.url() + ": " + request.failure());
            }
        });
        page.onConsoleMessage(message -> {
            // A 404 from the events route (before it exists) is the page's signal to long-poll, not a fault.
            if (message.type().equals("error") && !message.text().startsWith("Failed to load resource")) {
                errors.add(message.text());
            }
        });
        tabs.add(new Tab(context, new PlaygroundPage(page), requests, errors, failed));
        return new PlaygroundPage(page).open(base() + path);
    }

    private static void assertLaidOutFor(Screen screen, PlaygroundPage page) {
        assertTrue(page.fitsWidth(), "no sideways scrolling at " + screen);
        if (screen == Screen.LAPTOP) {
            assertTrue(page.fitsHeight(), "the whole playground fits a laptop screen without scrolling");
        }
        assertFalse(page.page.locator(".CodeMirror").boundingBox().height < 200, "a usable editor at " + screen);
    }

    private static String base() {
        return "http://localhost:" + stack.api.port();
    }

    private static void awaitLanguages(String... ids) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            JsonNode languages = Stack.json(stack.get("/languages"));
            List<String> installed = new ArrayList<>();
            languages.forEach(l -> installed.add(l.get("id").asText()));
            if (installed.containsAll(List.of(ids))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the worker never announced " + List.of(ids));
    }
}
