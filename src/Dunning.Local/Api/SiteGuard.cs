using System.Net;
using Dunning.Api;
using Microsoft.Extensions.Options;

namespace Dunning.Local.Api;

/// <summary>
/// What keeps other web sites and other machines out of the local host. The host answers only to the names it is
/// told (loopback names by default), so a DNS-rebinding page, whose requests carry its own name as Host and Origin,
/// is refused. A browser request that changes something must come from one of those names (Sec-Fetch-Site, else
/// Origin). Listening anywhere but loopback, every read of customer data and every staff action needs the admin key.
/// </summary>
public static class SiteGuard
{
    /// <summary>The host names answered to when <c>Dunning:AllowedHosts</c> is not set.</summary>
    public static readonly IReadOnlyList<string> LoopbackNames = ["localhost", "127.0.0.1", "::1"];

    /// <summary>The dashboard's content security policy: its own script, style and API only, and never inside a frame.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>Whether every address in <paramref name="urls"/> (separated by ';') is a loopback one.</summary>
    public static bool LoopbackOnly(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(IsLoopback);

    /// <summary>Why the host may not start on <paramref name="urls"/> with this admin key, or null when it may.</summary>
    public static string? ExposureProblem(string urls, string? adminKey) =>
        LoopbackOnly(urls) || !string.IsNullOrWhiteSpace(adminKey)
            ? null
            : $"--urls {urls} listens beyond this machine, so staff actions and customer data need an admin key: set Dunning__AdminKey " +
              "(environment) or Dunning:AdminKey (appsettings.json in the data folder), or listen on loopback (http://127.0.0.1:5080).";

    /// <summary>The configured host names, or the loopback names.</summary>
    public static IReadOnlyList<string> AllowedHosts(LocalSettings settings) =>
        string.IsNullOrWhiteSpace(settings.AllowedHosts)
            ? LoopbackNames
            : [.. settings.AllowedHosts.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(h => h.Trim('[', ']'))];

    public static WebApplication UseSiteGuard(this WebApplication web, bool loopbackOnly)
    {
        web.Use(async (context, next) =>
        {
            var settings = context.RequestServices.GetRequiredService<IOptions<LocalSettings>>().Value;
            var headers = context.Response.Headers;
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
            if (Refusal(context.Request, settings, loopbackOnly) is { } refusal)
            {
                await Http.Answer(refusal).ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return web;
    }

    private static ApiAnswer? Refusal(HttpRequest request, LocalSettings settings, bool loopbackOnly)
    {
        var allowed = AllowedHosts(settings);
        var host = request.Host.Host.Trim('[', ']');
        if (!allowed.Contains(host, StringComparer.OrdinalIgnoreCase))
        {
            return ApiAnswers.Problem(421, "Host not allowed",
                $"This host answers to {string.Join(", ", allowed)}, not '{Shorten(host)}'. Add the name to Dunning__AllowedHosts if it is yours.");
        }

        var changes = !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method);
        if (changes && CrossSite(request, allowed) is { } from)
        {
            return ApiAnswers.Problem(403, "Cross-site request refused", $"A request from {from} may not change anything on this host.");
        }

        if ((!loopbackOnly || settings.RequireAdminKey) && NeedsAdminKey(request) && !ApiRequest.IsAdminKey(request.Headers[ApiRequest.AdminKeyHeader].ToString(), settings.AdminKey))
        {
            return ApiAnswers.Problem(401, "Admin key required",
                $"This host listens beyond loopback: send the admin key in the {ApiRequest.AdminKeyHeader} header (configured as Dunning:AdminKey).");
        }

        return null;
    }

    /// <summary>Where a cross-site browser request came from, or null when it is same-origin or not from a browser page.</summary>
    private static string? CrossSite(HttpRequest request, IReadOnlyList<string> allowed)
    {
        // Browsers that send Sec-Fetch-Site say it outright; "none" is the user typing the address or a bookmark.
        if (request.Headers["Sec-Fetch-Site"] is [{ } site])
        {
            return site is "same-origin" or "none" ? null : $"another site ({site})";
        }

        // Payment providers and scripts send no Origin; a browser page on another name does.
        if (request.Headers.Origin is [{ } origin])
        {
            return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                && uri.Scheme is "http" or "https"
                && allowed.Contains(uri.Host.Trim('[', ']'), StringComparer.OrdinalIgnoreCase)
                    ? null
                    : Shorten(origin);
        }

        return null;
    }

    /// <summary>Everything under /api but liveness and the signed webhooks (which prove themselves with their signature).</summary>
    private static bool NeedsAdminKey(HttpRequest request)
    {
        var path = request.Path;
        if (!path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/api/health", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return !(HttpMethods.IsPost(request.Method)
            && (path.Equals("/api/webhooks/stripe", StringComparison.OrdinalIgnoreCase) || path.Equals("/api/webhooks/payments", StringComparison.OrdinalIgnoreCase)));
    }

    private static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Replace("://*", "://any-address", StringComparison.Ordinal).Replace("://+", "://any-address", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
