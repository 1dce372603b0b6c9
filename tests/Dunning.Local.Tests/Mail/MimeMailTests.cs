using Dunning.Local.Mail;
using Dunning.Local.Tests.Support;
using Dunning.Ports;
using MimeKit;

namespace Dunning.Local.Tests.Mail;

public sealed class MimeMailTests
{
    private const string Hostile = "Eve\" <eve@evil.example>, \"Bob";

    private static readonly DateTimeOffset At = new(2026, 3, 16, 17, 0, 0, TimeSpan.Zero);

    private static OutgoingEmail Email(string toName = "Accounts", string to = "ap@harbor.example", string key = "INV-1/step-gentle") =>
        new(key, "accounts@bakery.example", "Sunrise Bakery", to, toName, "Reminder: invoice H-1", "Please pay.", "<p>Please pay.</p>");

    [Fact]
    public async Task AHostileCustomerNameAddsNoRecipient()
    {
        using var folder = new TempFolder();
        var mailer = new PickupMailer(folder.Combine("outbox"), new FixedClock(At));

        await mailer.SendAsync(Email(toName: Hostile), CancellationToken.None);

        var raw = await File.ReadAllTextAsync(mailer.PathFor("INV-1/step-gentle"));
        using var parsed = MimeMessage.Load(mailer.PathFor("INV-1/step-gentle"));
        var to = Assert.Single(parsed.To.Mailboxes);
        Assert.Equal("ap@harbor.example", to.Address);
        Assert.Equal(Hostile, to.Name);
        Assert.Empty(parsed.Cc);
        Assert.Empty(parsed.Bcc);
        Assert.DoesNotContain(parsed.Headers, h => h.Field.StartsWith("X-Receiver", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(InternetAddressList.Parse(parsed.Headers[HeaderId.To]!).Mailboxes, m => m.Address == "eve@evil.example");
        Assert.Contains("X-Dunning-Key: INV-1/step-gentle", raw, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ap@harbor.example, eve@evil.example")]
    [InlineData("Eve <eve@evil.example>")]
    [InlineData("ap@harbor.example\r\nBcc: eve@evil.example")]
    [InlineData("not an address")]
    public void AnAddressThatIsNotOneMailboxIsRefusedWithItsText(string to)
    {
        var e = Assert.Throws<InvalidRecipientException>(() => MimeMail.Build(Email(to: to), At));
        Assert.Contains("recipient address", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheMessageIdIsTheSameForTheSameKeyAndDiffersBetweenKeys()
    {
        using var first = MimeMail.Build(Email(), At);
        using var again = MimeMail.Build(Email(), At.AddHours(3));
        using var other = MimeMail.Build(Email(key: "INV-1/step-firm"), At);

        Assert.Equal(first.MessageId, again.MessageId);
        Assert.NotEqual(first.MessageId, other.MessageId);
        Assert.EndsWith("@bakery.example", first.MessageId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOutboxFileIsDatedByTheCaseClockAndWrittenOnce()
    {
        using var folder = new TempFolder();
        var mailer = new PickupMailer(folder.Combine("outbox"), new FixedClock(At));
        await mailer.SendAsync(Email(), CancellationToken.None);
        var path = mailer.PathFor("INV-1/step-gentle");
        var written = File.GetLastWriteTimeUtc(path);
        var first = await File.ReadAllBytesAsync(path);

        await new PickupMailer(folder.Combine("outbox"), new FixedClock(At.AddDays(1))).SendAsync(Email(), CancellationToken.None);

        Assert.Equal(first, await File.ReadAllBytesAsync(path));
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
        using var parsed = MimeMessage.Load(path);
        Assert.Equal(At, parsed.Date);
        Assert.Equal("Please pay.", parsed.TextBody!.Trim());
        Assert.Equal("<p>Please pay.</p>", parsed.HtmlBody!.Trim());
        Assert.Single(Directory.EnumerateFiles(folder.Combine("outbox")));
    }

    [Fact]
    public async Task AHalfWrittenMessageAKilledProcessLeftIsSweptAtOpenAndNeverSeenAsMail()
    {
        using var folder = new TempFolder();
        var outbox = folder.Combine("outbox");
        Directory.CreateDirectory(outbox);
        var stale = Path.Combine(outbox, ".0123456789abcdef.tmp");
        var fresh = Path.Combine(outbox, ".fedcba9876543210.tmp");
        await File.WriteAllTextAsync(stale, "From: half a mess");
        await File.WriteAllTextAsync(fresh, "From: being written");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-2));

        var mailer = new PickupMailer(outbox, new FixedClock(At));
        await mailer.SendAsync(Email(), CancellationToken.None);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh), "a temp file younger than an hour may belong to a write in progress");
        Assert.Equal([Path.GetFileName(mailer.PathFor("INV-1/step-gentle"))], Directory.EnumerateFiles(outbox, "*.eml").Select(Path.GetFileName));
    }

    private sealed class FixedClock(DateTimeOffset at) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => at;
    }
}
