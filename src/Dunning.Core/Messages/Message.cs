namespace Dunning.Messages;

/// <summary>What a step says. Letters and call tasks use the same shape: HTML is the printable letter, text the call script.</summary>
public sealed record Message(string Subject, string Text, string Html);
