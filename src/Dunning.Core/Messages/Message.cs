namespace Dunning.Messages;

/// <summary>What a step says. Letters and call tasks use the same shape: HTML is the printable letter, text the call script.</summary>
public sealed record Message(string Subject, string Text, string Html);

/// <summary>What a set of templates writes of each message (<see cref="MessageTemplates.Writing"/>).</summary>
public enum MessageParts
{
    /// <summary>Subject, text and HTML: what every host that sends or prints a message uses.</summary>
    Whole,

    /// <summary>The subject the whole message has; empty text and HTML.</summary>
    SubjectOnly,

    /// <summary>Nothing: every message is empty. For a caller that keeps no word of any message.</summary>
    Nothing,
}
