using Dunning.Webhooks;

namespace Dunning.Tests.Webhooks;

/// <summary>Event Grid batches of Azure Communication Services email delivery reports, read without ever throwing.</summary>
public class EmailDeliveryReportTests
{
    private static string Event(string type, string data) =>
        $$$"""{"id":"e1","eventType":"{{{type}}}","subject":"s","eventTime":"2026-12-04T10:00:00Z","dataVersion":"1.0","data":{{{data}}}}""";

    [Fact]
    public void A_validation_event_gives_the_code_to_answer_with()
    {
        var events = EmailEvents.Parse($"[{Event(EmailEvents.ValidationEventType, """{"validationCode":"abc-123","validationUrl":"https://x"}""")}]");

        Assert.Equal(new EmailEvents.Validation("abc-123"), events);
    }

    [Fact]
    public void Delivery_reports_are_read_and_only_bounces_suppressions_and_failures_say_the_address_failed()
    {
        string Report(string id, string status) => Event(
            EmailEvents.DeliveryReportEventType,
            $$$"""{"sender":"s@x","recipient":"ap@acme.example","messageId":"{{{id}}}","status":"{{{status}}}","deliveryStatusDetails":{"statusMessage":"550 5.1.1"}}""");

        var events = EmailEvents.Parse($"[{Report("m1", "Bounced")},{Report("m2", "Delivered")},{Report("m3", "Suppressed")},{Report("m4", "Quarantined")},{Report("m5", "Failed")},{Event("Other.Type", "{}")}]");

        var reports = Assert.IsType<EmailEvents.Reports>(events).Items;
        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], reports.Select(r => r.MessageId));
        Assert.Equal(["m1", "m3", "m5"], reports.Where(r => r.AddressFailed).Select(r => r.MessageId));
        Assert.Equal(new EmailDeliveryReport("m1", "ap@acme.example", "Bounced", "550 5.1.1"), reports[0]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"eventType":"x"}""")]
    [InlineData("""[1, 2]""")]
    [InlineData("""[{"eventType":"Microsoft.Communication.EmailDeliveryReportReceived","data":{"status":"Bounced"}}]""")]
    [InlineData("""[{"eventType":"Microsoft.Communication.EmailDeliveryReportReceived","data":{"messageId":7,"recipient":"a@b","status":"Bounced"}}]""")]
    public void Anything_else_is_unreadable_with_a_reason(string body) =>
        Assert.IsType<EmailEvents.Unreadable>(EmailEvents.Parse(body));
}
