package io.codeexec.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The playground page in a real browser tab, as a user sees it: picks a language, types into the
 * editor, presses Run or Ctrl+Enter, and reads the verdict line and the output panes.
 */
final class PlaygroundPage {
    /** A first run may wait for a fresh sandbox host or a compiler. */
    static final double RUN_TIMEOUT_MS = 90_000;
    /** Any other step (loading the page, a click); generous because the test machine may be busy. */
    static final int STEP_TIMEOUT_MS = 60_000;
    private static final Pattern FINAL = Pattern.compile("completed|cancelled|error");

    final Page page;

    PlaygroundPage(Page page) {
        this.page = page;
    }

    /** Opens url and waits until the language list has arrived from GET /languages. */
    PlaygroundPage open(String url) {
        page.navigate(url);
        assertThat(page.locator("#language")).isEnabled(new LocatorAssertions.IsEnabledOptions().setTimeout(STEP_TIMEOUT_MS));
        return this;
    }

    PlaygroundPage language(String id) {
        page.selectOption("#language", id);
        return this;
    }

    String language() {
        return (String) page.evaluate("document.getElementById('language').value");
    }

    /** Replaces the editor's text through CodeMirror (typing would fight auto-closed brackets). */
    PlaygroundPage code(String code) {
        page.evaluate("code => document.querySelector('.CodeMirror').CodeMirror.setValue(code)", code);
        return this;
    }

    String code() {
        return (String) page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()");
    }

    PlaygroundPage stdin(String text) {
        page.fill("#stdin", text);
        return this;
    }

    String stdin() {
        return page.inputValue("#stdin");
    }

    /** Focuses the editor and presses Ctrl+Enter, then waits for the run to end. */
    PlaygroundPage runWithKeyboard() {
        page.click(".CodeMirror-lines");
        page.keyboard().press("Control+Enter");
        return awaitEnd();
    }

    PlaygroundPage runWithButton() {
        page.click("#run");
        return awaitEnd();
    }

    private PlaygroundPage awaitEnd() {
        assertThat(page.locator("#status")).hasText(FINAL, new LocatorAssertions.HasTextOptions().setTimeout(RUN_TIMEOUT_MS));
        return this;
    }

    String status() {
        return page.textContent("#status");
    }

    Locator verdict() {
        return page.locator("#verdict");
    }

    String output() {
        return page.textContent("#output");
    }

    String stats() {
        return page.textContent("#stats");
    }

    Locator compileOutput() {
        return page.locator("#compile-output");
    }

    String message() {
        return page.textContent("#message");
    }

    /** Fails unless the page fits the viewport's width (no sideways scrolling on a phone). */
    boolean fitsWidth() {
        return (Boolean) page.evaluate("document.documentElement.scrollWidth <= window.innerWidth");
    }

    boolean fitsHeight() {
        return (Boolean) page.evaluate("document.documentElement.scrollHeight <= window.innerHeight");
    }

    void screenshot(Path file) {
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
    }
}
