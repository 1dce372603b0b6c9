using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dunning.Local.Hosting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Dunning.Local.Api;

/// <summary>
/// The local web host: every route of the contract under /api, the OpenAPI document at /openapi/v1.json, the
/// dashboard at /, and (unless told otherwise) the runner and the daily scan in the background.
/// </summary>
public static class WebHost
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>The longest path and query answered (Kestrel's own default request line).</summary>
    public const int MaxAddressLength = 8 * 1024;

    /// <summary>The most header text answered (Kestrel's own default).</summary>
    public const int MaxHeadersLength = 32 * 1024;

    /// <param name="app">The opened data folder.</param>
    /// <param name="urls">Where to listen; loopback by default, so nothing is exposed unless asked for.</param>
    /// <param name="settings">Extra configuration (tests); the environment and appsettings.json are read as well.</param>
    /// <param name="background">Whether to run the runner and the daily scan in the background (tests drive them by hand).</param>
    public static WebApplication Create(LocalApp app, string urls = DefaultUrls, IReadOnlyDictionary<string, string?>? settings = null, bool background = true)
    {
        var loopbackOnly = SiteGuard.LoopbackOnly(urls);
        // Configuration is read once at start (IOptions). Reloading on change would watch the content root, the data
        // folder, and every subfolder: each WAL write, .eml file and letter woke a watcher thread for nothing.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = app.DataFolder,
            EnvironmentName = Environments.Production,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Configuration.AddJsonFile(Path.Combine(app.DataFolder, "appsettings.json"), optional: true);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseUrls(urls);

        // Kestrel answers requests over its own limits with a bare status. Its limits sit above ours, so a long address
        // or large headers get our problem+json answer (414, 431) instead; only what passes even Kestrel's is bare.
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestLineSize = 4 * MaxAddressLength;
            k.Limits.MaxRequestHeadersTotalSize = 4 * MaxHeadersLength;
        });
        builder.Services.AddSingleton(app);
        builder.Services.Configure<LocalSettings>(builder.Configuration.GetSection(LocalSettings.Section));
        if (SiteGuard.ExposureProblem(urls, builder.Configuration[$"{LocalSettings.Section}:AdminKey"]) is { } exposed)
        {
            throw new InvalidOperationException(exposed);
        }

        builder.Services.PostConfigure<LocalSettings>(s => s.AdminKey = string.IsNullOrWhiteSpace(s.AdminKey) ? GeneratedKey.Value : s.AdminKey);
        builder.Services.ConfigureHttpJsonOptions(o => HouseJson(o.SerializerOptions));
        builder.Services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Dunning (local host)";
                document.Info.Description = "Overdue-invoice collection: cases, staff actions, payment webhooks, reports. Errors are application/problem+json. " +
                    "Admin routes need the X-Admin-Key header; on a host listening beyond loopback every route but /api/health and the signed webhooks does.";
                document.Components ??= new Microsoft.OpenApi.OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, Microsoft.OpenApi.IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[AdminApi.SecuritySchemeName] = new Microsoft.OpenApi.OpenApiSecurityScheme
                {
                    Type = Microsoft.OpenApi.SecuritySchemeType.ApiKey,
                    In = Microsoft.OpenApi.ParameterLocation.Header,
                    Name = AdminApi.KeyHeader,
                    Description = "The admin key (Dunning__AdminKey).",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<AdminApi.AdminKeyRequired>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new Microsoft.OpenApi.OpenApiSecurityRequirement
                    {
                        [new Microsoft.OpenApi.OpenApiSecuritySchemeReference(AdminApi.SecuritySchemeName, context.Document)] = [],
                    });
                }

                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ReportsApi.CsvToo>().Any()
                    && operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content is { } content)
                {
                    content["text/csv"] = new Microsoft.OpenApi.OpenApiMediaType
                    {
                        Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String },
                    };
                }

                return Task.CompletedTask;
            });
        });
        if (background)
        {
            builder.Services.AddHostedService<RunnerService>();
            builder.Services.AddHostedService<ScanService>();
        }

        var web = builder.Build();
        web.UseExceptionHandler(errors => errors.Run(AnswerErrorAsync));
        web.UseStatusCodePages(StatusCodeProblemAsync);

        web.Use(async (context, next) =>
        {
            var request = context.Request;
            if ((request.Path.Value?.Length ?? 0) + request.QueryString.Value?.Length > MaxAddressLength)
            {
                await Http.Problem(414, "Address too long", $"The path and query may be at most {MaxAddressLength:N0} characters.").ExecuteAsync(context);
                return;
            }

            if (request.Headers.Sum(h => h.Key.Length + h.Value.Sum(v => v?.Length ?? 0)) > MaxHeadersLength)
            {
                await Http.Problem(431, "Headers too large", $"The request's headers may be at most {MaxHeadersLength:N0} characters together.").ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        web.UseSiteGuard(loopbackOnly);
        web.MapOpenApi();
        web.MapGet("/api/health", (LocalApp local) => Http.Json(new { status = "ok", now = local.Clock.GetUtcNow(), simulatedClock = local.Driver is not null }))
            .WithTags("Health")
            .WithSummary("Liveness");
        web.MapCases();
        web.MapCustomers();
        web.MapWebhooks();
        web.MapAdmin();
        web.MapLedger();
        web.MapReports();
        web.MapDashboard();

        var log = web.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebHost));
        var configured = web.Services.GetRequiredService<IOptions<LocalSettings>>().Value;
        if (configured.AdminKey == GeneratedKey.Value)
        {
            log.GeneratedAdminKey(GeneratedKey.Value);
        }

        if (string.IsNullOrEmpty(configured.Webhooks.StripeSecret))
        {
            log.NoWebhookSecret("stripe", "Dunning__Webhooks__StripeSecret");
        }

        if (string.IsNullOrEmpty(configured.Webhooks.GenericSecret))
        {
            log.NoWebhookSecret("generic", "Dunning__Webhooks__GenericSecret");
        }

        return web;
    }

    /// <summary>The scan time from configuration ("HH:mm", UTC), or the default.</summary>
    public static TimeOnly ScanAt(string? text) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : LocalApp.DefaultScanAt;

    /// <summary>The same JSON rules as the core's <c>DunningJson</c>, for what ASP.NET serialises itself (OpenAPI, errors).</summary>
    private static void HouseJson(JsonSerializerOptions options)
    {
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
    }

    /// <summary>Bad requests the framework itself refuses (unreadable body, too large) are the caller's; anything else is ours.</summary>
    private static Task AnswerErrorAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var result = error is BadHttpRequestException bad
            ? Http.Problem(bad.StatusCode, "Bad request", bad.Message)
            : Http.Problem(500, "Internal error", "Something went wrong on our side; the log has the details. Nothing was half-written: retrying is safe.");
        return result.ExecuteAsync(context);
    }

    private static Task StatusCodeProblemAsync(StatusCodeContext status)
    {
        var context = status.HttpContext;
        var code = context.Response.StatusCode;
        var detail = code switch
        {
            404 => $"There is no route {context.Request.Method} {context.Request.Path}. The API is described at /openapi/v1.json.",
            405 => $"{context.Request.Method} is not allowed on {context.Request.Path}.",
            415 => "Send JSON (Content-Type: application/json).",
            _ => $"HTTP {code}.",
        };
        return Http.Problem(code, code == 404 ? "Not found" : "Request not accepted", detail).ExecuteAsync(context);
    }

    private static class GeneratedKey
    {
        public static readonly string Value = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    }

}
