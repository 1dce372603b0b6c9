using System.Text;
using Dunning.Webhooks;

namespace Dunning.Tests.Webhooks;

/// <summary>
/// Whatever a sender puts in the body or the headers, verification answers with a verdict and never throws:
/// a thrown exception would be a 500, and the contract promises never a 500.
/// </summary>
public class WebhookFuzzTests
{
    private const string Secret = StripeWebhookTests.Secret;
    private static readonly DateTimeOffset Now = StripeWebhookTests.Now;

    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", ",", ":", "\"", "null", "true", "false", "0", "-1", "1e400", "-0", "9223372036854775808",
        "12.5", "NaN", "\"id\"", "\"type\"", "\"data\"", "\"object\"", "\"metadata\"", "\"invoice_id\"", "\"amount_received\"",
        "\"amount_paid\"", "\"amount_refunded\"", "\"currency\"", "\"created\"", "\"payment_intent.succeeded\"", "\"invoice.paid\"",
        "\"charge.refunded\"", "\"usd\"", "\"jpy\"", "\"\\u0000\"", "\"\\ud800\"", "\"eventId\"", "\"invoiceId\"", "\"amount\"",
        "\"paidAt\"", "\"2026-02-01T11:00:00Z\"", "\"refund\"", "\"kind\"", " ", "\n", "\u00e9", "\ud83d\ude00", "\ud800",
    ];

    private static readonly string[] ValidBodies =
    [
        StripeWebhookTests.PaymentIntent(),
        """{"id":"evt_ref","type":"charge.refunded","created":1769947100,"data":{"object":{"id":"ch_1","amount_refunded":7500,"currency":"usd","metadata":{"invoice_id":"INV-1"}},"previous_attributes":{"amount_refunded":2500}}}""",
        """{"id":"evt_inv","type":"invoice.paid","created":1769947000,"data":{"object":{"id":"in_1","amount_paid":50000,"currency":"gbp","status_transitions":{"paid_at":1769946000},"metadata":{"invoice_id":"INV-7"}}}}""",
        """{"eventId":"pay-1","invoiceId":"INV-1","amount":"200.50","currency":"usd","paidAt":"2026-02-01T11:00:00Z","reference":"R","kind":"payment"}""",
    ];

    [Fact]
    public void GivenRandomBodies_WhenSignedAndVerified_ThenAVerdictAndNeverAnException()
    {
        var random = new Random(20260201);
        for (var i = 0; i < 3000; i++)
        {
            var body = (i % 3) switch
            {
                0 => RandomBytes(random),
                1 => RandomFragments(random),
                _ => Mutate(random, ValidBodies[random.Next(ValidBodies.Length)]),
            };

            AssertVerdicts(body, StripeWebhook.SignatureHeader(body, Secret, Now), GenericWebhook.Headers(body, Secret, Now), i);
        }
    }

    [Fact]
    public void GivenRandomHeaders_WhenVerified_ThenAVerdictAndNeverAnException()
    {
        var random = new Random(7);
        var body = ValidBodies[0];
        for (var i = 0; i < 2000; i++)
        {
            var header = RandomFragments(random) + (i % 2 == 0 ? ",v1=" : ",t=") + RandomBytes(random);
            var timestamp = i % 3 == 0 ? RandomBytes(random) : random.NextInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);

            AssertVerdicts(body, header, (timestamp, "sha256=" + RandomBytes(random)), i);
        }
    }

    private static void AssertVerdicts(string body, string stripeHeader, (string Timestamp, string Signature) generic, int iteration)
    {
        var stripe = Record.Exception(() => Assert.NotNull(StripeWebhook.Verify(body, stripeHeader, Secret, Now)));
        var other = Record.Exception(() => Assert.NotNull(GenericWebhook.Verify(body, generic.Timestamp, generic.Signature, Secret, Now)));

        Assert.True(stripe is null, $"iteration {iteration}: Stripe threw {stripe} for body {body}");
        Assert.True(other is null, $"iteration {iteration}: generic threw {other} for body {body}");
    }

    private static string RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 64)];
        random.NextBytes(bytes);
        return random.Next(2) == 0 ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
    }

    private static string RandomFragments(Random random)
    {
        var text = new StringBuilder();
        for (var n = random.Next(0, 40); n > 0; n--)
        {
            text.Append(Fragments[random.Next(Fragments.Length)]);
        }

        return text.ToString();
    }

    /// <summary>A valid event with one value, name or punctuation swapped for a random fragment.</summary>
    private static string Mutate(Random random, string body)
    {
        var text = new StringBuilder(body);
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var at = random.Next(text.Length);
            var length = Math.Min(random.Next(0, 12), text.Length - at);
            text.Remove(at, length).Insert(at, Fragments[random.Next(Fragments.Length)]);
        }

        return text.ToString();
    }
}
