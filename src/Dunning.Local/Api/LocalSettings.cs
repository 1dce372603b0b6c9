namespace Dunning.Local.Api;

/// <summary>
/// The "Dunning" configuration section: from appsettings.json beside the data, or the environment
/// (<c>Dunning__AdminKey</c>, <c>Dunning__Webhooks__StripeSecret</c>, <c>Dunning__Webhooks__GenericSecret</c>,
/// <c>Dunning__ScanAt</c>, <c>Dunning__AllowedHosts</c>). Secrets never come from code or the command line.
/// </summary>
public sealed class LocalSettings
{
    public const string Section = "Dunning";

    /// <summary>Required in the <c>X-Admin-Key</c> header by the admin routes (scan, import, clock).</summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// The host names this host answers to, separated by ';' (e.g. "localhost;127.0.0.1;dunning.example.com").
    /// Unset: the loopback names only. A request naming any other host is refused (421), which keeps out DNS rebinding.
    /// </summary>
    public string? AllowedHosts { get; set; }

    /// <summary>
    /// Require the admin key for every read of customer data and every staff action even on loopback: for a host
    /// behind a reverse proxy on the same machine. Always the case when the host listens beyond loopback.
    /// </summary>
    public bool RequireAdminKey { get; set; }

    /// <summary>The UTC time of the daily scan inside <c>serve</c>, "HH:mm".</summary>
    public string ScanAt { get; set; } = "06:00";

    public WebhookSecrets Webhooks { get; set; } = new();

    public sealed class WebhookSecrets
    {
        /// <summary>The endpoint's signing secret from the Stripe dashboard (whsec_...).</summary>
        public string? StripeSecret { get; set; }

        /// <summary>The secret the generic provider signs with.</summary>
        public string? GenericSecret { get; set; }
    }
}
