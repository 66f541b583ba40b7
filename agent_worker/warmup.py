"""What a job process would otherwise build on its first interview, built once before it forks.

google-genai builds each pydantic model's schema on its first use (`defer_build`), livekit-agents builds
the chat history's message schema on its first use, each Live session makes a genai client whose first
construction imports the HTTP transport, and the caption synchroniser builds a hyphenation tree on its
first word. Left alone, all of that lands on a job's event loop: between the candidate joining and the
greeting, or mid-interview (the first audio sent, the first message of each kind received, the tool's
answer). warm_up() pays for it once in the worker's forkserver (agent_worker.preload), whose job
processes inherit it copy-on-write; under the `spawn` start method each job process runs it in
prewarm(). It starts no thread and opens no connection, which is what makes it safe before a fork.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from google import genai
from google.genai import types
from livekit.agents import llm
from livekit.agents.tokenize import basic
from livekit.plugins.google.utils import create_tools_config
from pydantic import BaseModel

from interview_core.settings import Settings, get_settings

from .config import AgentSettings, get_agent_settings
from .controller import InterviewerAgent
from .model import build_realtime_model, compression, http_options, realtime_input

if TYPE_CHECKING:
    from .controller import InterviewController

_warmed_up = False


def live_schemas() -> tuple[type[BaseModel], ...]:
    """The models an interview's Live session makes or validates itself, whose schemas would otherwise
    be built the first time each is used. (Models only nested inside these need no schema of their
    own: a parent's schema validates them.)"""
    return (
        # connecting: the set-up message, its config, and the voice and generation settings the
        # plugin puts in it
        types.LiveConnectParameters,
        types.LiveConnectConfig,
        types.LiveClientMessage,
        types.GenerationConfig,
        types.SpeechConfig,
        types.VoiceConfig,
        types.PrebuiltVoiceConfig,
        # sending: the candidate's audio, control notes as text turns, the tool's answer
        types.LiveSendRealtimeInputParameters,
        types.LiveClientRealtimeInput,
        types.Blob,
        types.ActivityStart,
        types.ActivityEnd,
        types.LiveClientContent,
        types.Content,
        types.Part,
        types.LiveClientToolResponse,
        types.FunctionResponse,
        # receiving: each kind of server message the plugin reads
        types.LiveServerMessage,
        types.LiveServerSetupComplete,
        types.LiveServerContent,
        types.Transcription,
        types.LiveServerToolCall,
        types.FunctionCall,
        types.LiveServerToolCallCancellation,
        types.LiveServerGoAway,
        types.LiveServerSessionResumptionUpdate,
        types.UsageMetadata,
        types.ModalityTokenCount,
        # the end_interview tool's declaration
        types.Tool,
        types.FunctionDeclaration,
        types.Schema,
        # the chat history's messages
        llm.ChatMessage,
    )


def build_schemas(models: tuple[type[BaseModel], ...]) -> None:
    for model in models:
        model.model_rebuild(raise_errors=False)


def build_live_config(settings: Settings, agent: AgentSettings) -> None:
    """A session's set-up as the plugin makes it: the realtime model, the end_interview tool's schema
    (inspected from its signature and docstring) and the Live config, serialised once."""
    model = build_realtime_model(settings, agent, "warm-up")
    stand_in = cast("InterviewController", SimpleNamespace(instructions="warm-up"))
    tools, _ = create_tools_config(llm.ToolContext(list(InterviewerAgent(stand_in).tools)))
    config = types.LiveConnectConfig(
        response_modalities=[types.Modality.AUDIO],
        system_instruction=types.Content(parts=[types.Part(text="warm-up")]),
        tools=cast("list[Any]", tools),
        input_audio_transcription=types.AudioTranscriptionConfig(),
        output_audio_transcription=types.AudioTranscriptionConfig(),
        session_resumption=types.SessionResumptionConfig(handle=None),
        context_window_compression=compression(agent),
        realtime_input_config=realtime_input(agent),
    )
    types.LiveConnectParameters(model=model.model, config=config).model_dump(exclude_none=True)


def load_genai_transport(settings: Settings, agent: AgentSettings) -> None:
    """Each Live session makes a genai client; the first one in a process imports its HTTP transport."""
    genai.Client(api_key="warm-up", http_options=http_options(settings, agent))


def build_hyphenator() -> None:
    """The caption synchroniser hyphenates words to pace them; its pattern tree is built on the first
    word it sees (the greeting's) unless built here."""
    basic.hyphenate_word("interview")


def warm_up() -> None:
    """Build everything above once; a second call does nothing."""
    global _warmed_up
    if _warmed_up:
        return
    settings, agent = get_settings(), get_agent_settings()
    build_live_config(settings, agent)
    build_schemas(live_schemas())
    load_genai_transport(settings, agent)
    if agent.agent_sync_transcription:
        build_hyphenator()
    _warmed_up = True
