using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Ragtune.Cli.Http;

/// <summary>
/// The chat page at <c>/</c>: plain HTML, CSS and JavaScript embedded in this assembly (the <c>ChatPage</c> folder), a
/// client of the public HTTP API only. Everything it loads comes from here; its Content-Security-Policy lets scripts
/// and styles come from this origin only, while its API calls may go to another base URL (an Azure Functions app).
/// </summary>
internal static class ChatPage
{
    private const string ResourcePrefix = "Ragtune.Cli.ChatPage";

    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src *; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static WebApplication UseChatPage(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(ChatPage).Assembly, ResourcePrefix);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });

        var types = new FileExtensionContentTypeProvider();
        foreach (var (extension, type) in new[] { (".html", "text/html"), (".css", "text/css"), (".js", "text/javascript"), (".svg", "image/svg+xml") })
        {
            types.Mappings[extension] = $"{type}; charset=utf-8";
        }

        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = types,
            OnPrepareResponse = context =>
            {
                // Always revalidated (the ETag makes that a 304), so an upgraded ragtune serves its new page at once.
                var headers = context.Context.Response.Headers;
                headers.CacheControl = "no-cache";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            },
        });
        return app;
    }
}
