using System.Text.Json;
using Dunning.Common;

namespace Dunning.Webhooks;

/// <summary>One delivery report of Azure Communication Services Email: how a message to one recipient ended.</summary>
/// <param name="MessageId">The id of the send request: the operation id the sender chose.</param>
/// <param name="Recipient">The address the report is about.</param>
/// <param name="Status">ACS's status: Delivered, Bounced, Suppressed, Failed, FilteredSpam, Quarantined.</param>
/// <param name="Detail">What the receiving server or ACS said, when it said anything.</param>
public sealed record EmailDeliveryReport(string MessageId, string Recipient, string Status, string? Detail)
{
    /// <summary>
    /// The address will not take mail: a hard bounce, an address on the suppression list, or a delivery ACS gave up on.
    /// Spam filtering and quarantine say nothing about the address, so the contact stands.
    /// </summary>
    public bool AddressFailed => Status is "Bounced" or "Suppressed" or "Failed";
}

/// <summary>What an Event Grid delivery to the email events webhook holds.</summary>
public abstract record EmailEvents
{
    private EmailEvents()
    {
    }

    /// <summary>Event Grid checks the endpoint before it sends anything: answer with this code.</summary>
    public sealed record Validation(string Code) : EmailEvents;

    /// <summary>Delivery reports (events of other types in the batch are ignored).</summary>
    public sealed record Reports(ValueList<EmailDeliveryReport> Items) : EmailEvents;

    /// <summary>Not an Event Grid batch this endpoint understands, and why.</summary>
    public sealed record Unreadable(string Problem) : EmailEvents;

    public const string ValidationEventType = "Microsoft.EventGrid.SubscriptionValidationEvent";

    public const string DeliveryReportEventType = "Microsoft.Communication.EmailDeliveryReportReceived";

    /// <summary>Reads an Event Grid schema batch (a JSON array of events). Never throws on what a sender controls.</summary>
    public static EmailEvents Parse(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return new Unreadable("the body must be a JSON array of Event Grid events");
            }

            var reports = new List<EmailDeliveryReport>();
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
                {
                    return new Unreadable("every event must be an object with a data object");
                }

                switch (Text(item, "eventType"))
                {
                    case ValidationEventType when Text(data, "validationCode") is { } code:
                        return new Validation(code);
                    case DeliveryReportEventType:
                        if (Report(data) is not { } report)
                        {
                            return new Unreadable("a delivery report needs messageId, recipient and status");
                        }

                        reports.Add(report);
                        break;
                }
            }

            return new Reports(reports.ToValueList());
        }
        catch (JsonException e)
        {
            return new Unreadable($"not JSON: {e.Message}");
        }
    }

    private static EmailDeliveryReport? Report(JsonElement data)
    {
        var (message, recipient, status) = (Text(data, "messageId"), Text(data, "recipient"), Text(data, "status"));
        if (message is null || recipient is null || status is null)
        {
            return null;
        }

        var detail = data.TryGetProperty("deliveryStatusDetails", out var details) && details.ValueKind == JsonValueKind.Object
            ? Text(details, "statusMessage")
            : null;
        return new EmailDeliveryReport(message, recipient, status, detail);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= 1_000 } text ? text : null;
}
