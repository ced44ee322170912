package io.codeexec.api;

import io.javalin.http.Context;

/** GET /languages: what the workers have installed, with versions, in catalog order. */
public final class LanguageController {
    private final InstalledLanguages installed;

    public LanguageController(InstalledLanguages installed) {
        this.installed = installed;
    }

    public void list(Context ctx) {
        ctx.json(installed.list());
    }
}
