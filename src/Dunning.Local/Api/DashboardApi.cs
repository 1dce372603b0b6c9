using System.Reflection;

namespace Dunning.Local.Api;

/// <summary>The dashboard: one static page and a little script over the API, embedded in the executable.</summary>
public static class DashboardApi
{
    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8"),
        ("/dashboard.css", "dashboard.css", "text/css; charset=utf-8"),
    ];

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder routes)
    {
        foreach (var (path, resource, contentType) in Files)
        {
            var content = Read(resource);
            routes.MapGet(path, () => TypedResults.Text(content, contentType)).ExcludeFromDescription();
        }

        return routes;
    }

    private static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Dunning.Local.Dashboard." + name)
            ?? throw new InvalidOperationException($"The dashboard file {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
