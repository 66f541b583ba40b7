"""The interviewer agent: a LiveKit Agents worker that runs each interview on Gemini Live."""
