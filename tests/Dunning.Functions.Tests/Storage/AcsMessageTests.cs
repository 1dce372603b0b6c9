using Dunning.Functions.Storage;
using Dunning.Ports;

namespace Dunning.Functions.Tests.Storage;

/// <summary>
/// Where a customer's answer to an Azure-sent email goes. (The ACS package here is a compile-only stand-in whose
/// members all throw, so the address is checked before it becomes an EmailMessage.)
/// </summary>
public sealed class AcsMessageTests
{
    private static OutgoingEmail Reminder(string from = "accounts@bakery.example") => new(
        "INV-1/step-gentle", from, "Harbor Bakery", "ap@customer.example", "Pat Payables", "Invoice INV-1", "text", "<p>html</p>");

    [Fact]
    public void Replies_go_to_the_business_reply_to_address_when_the_policy_has_one() =>
        Assert.Equal("owner@bakery.example", AcsMailer.ReplyAddress(Reminder(), "owner@bakery.example"));

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void Without_a_reply_to_address_replies_go_to_the_business_address(string? replyTo) =>
        Assert.Equal("accounts@bakery.example", AcsMailer.ReplyAddress(Reminder(), replyTo));

    [Fact]
    public void Without_any_business_address_there_is_no_reply_to() =>
        Assert.Null(AcsMailer.ReplyAddress(Reminder(from: ""), null));
}
