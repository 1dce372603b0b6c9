using Dunning.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = FunctionsApplication.CreateBuilder(args);

// ASP.NET Core integration: HTTP functions take HttpRequest and return IActionResult.
builder.ConfigureFunctionsWebApplication();

// No adaptive sampling: the workbook counts custom events (steps, payments, outcomes), and a sampled count is wrong.
builder.Services
    .AddApplicationInsightsTelemetryWorkerService(options => options.EnableAdaptiveSampling = false)
    .ConfigureFunctionsApplicationInsights();

// The Application Insights SDK adds a rule that drops everything below Warning; host.json decides levels instead.
builder.Logging.Services.Configure<LoggerFilterOptions>(options =>
{
    var rule = options.Rules.FirstOrDefault(r =>
        r.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider");
    if (rule is not null)
    {
        options.Rules.Remove(rule);
    }
});

builder.Services.AddDunning(builder.Configuration);

builder.Build().Run();
