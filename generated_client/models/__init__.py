"""Contains all the data models used in inputs/outputs"""

from .agent_call_run_config import AgentCallRunConfig
from .agent_call_run_config_input_template import AgentCallRunConfigInputTemplate
from .agent_call_run_config_request import AgentCallRunConfigRequest
from .agent_call_run_config_request_input_template import AgentCallRunConfigRequestInputTemplate
from .ai_integration import AiIntegration
from .ai_integration_auth_type import AiIntegrationAuthType
from .ai_integration_provider import AiIntegrationProvider
from .ai_integration_scoping import AiIntegrationScoping
from .aws_provider_metadata import AwsProviderMetadata
from .create_code_evaluation_task_request import CreateCodeEvaluationTaskRequest
from .create_run_experiment_task_request import CreateRunExperimentTaskRequest
from .create_template_evaluation_task_request import CreateTemplateEvaluationTaskRequest
from .dataset import Dataset
from .dataset_version import DatasetVersion
from .evaluator import Evaluator
from .evaluator_type import EvaluatorType
from .experiment import Experiment
from .experiment_type import ExperimentType
from .gcp_provider_metadata import GcpProviderMetadata
from .input_variable_format import InputVariableFormat
from .invocation_params import InvocationParams
from .invocation_params_request import InvocationParamsRequest
from .list_ai_integrations_response import ListAiIntegrationsResponse
from .list_datasets_response import ListDatasetsResponse
from .list_evaluators_response import ListEvaluatorsResponse
from .list_experiments_response import ListExperimentsResponse
from .list_projects_response import ListProjectsResponse
from .list_spaces_response import ListSpacesResponse
from .list_task_runs_response import ListTaskRunsResponse
from .list_tasks_response import ListTasksResponse
from .llm_generation_run_config import LlmGenerationRunConfig
from .llm_generation_run_config_provider_parameters import LlmGenerationRunConfigProviderParameters
from .llm_generation_run_config_request import LlmGenerationRunConfigRequest
from .llm_generation_run_config_request_provider_parameters import (
    LlmGenerationRunConfigRequestProviderParameters,
)
from .llm_message import LLMMessage
from .llm_message_request import LLMMessageRequest
from .message_role import MessageRole
from .pagination_metadata import PaginationMetadata
from .problem import Problem
from .project import Project
from .project_type import ProjectType
from .response_format import ResponseFormat
from .response_format_json_schema import ResponseFormatJsonSchema
from .response_format_json_schema_request import ResponseFormatJsonSchemaRequest
from .response_format_json_schema_request_schema import ResponseFormatJsonSchemaRequestSchema
from .response_format_json_schema_schema import ResponseFormatJsonSchemaSchema
from .response_format_request import ResponseFormatRequest
from .response_format_type import ResponseFormatType
from .space import Space
from .space_agent_runtime import SpaceAgentRuntime
from .space_llm_integration import SpaceLlmIntegration
from .span_evaluator_input import SpanEvaluatorInput
from .string_map import StringMap
from .task import Task
from .task_evaluator import TaskEvaluator
from .task_query_filter import TaskQueryFilter
from .task_query_filter_input import TaskQueryFilterInput
from .task_query_filters import TaskQueryFilters
from .task_query_filters_input import TaskQueryFiltersInput
from .task_query_mapping import TaskQueryMapping
from .task_query_mapping_input import TaskQueryMappingInput
from .task_run import TaskRun
from .task_run_status import TaskRunStatus
from .task_type import TaskType
from .template_evaluation_run_config import TemplateEvaluationRunConfig
from .template_evaluation_run_config_classification_choices import (
    TemplateEvaluationRunConfigClassificationChoices,
)
from .template_evaluation_run_config_provider_parameters import (
    TemplateEvaluationRunConfigProviderParameters,
)
from .template_evaluation_run_config_request import TemplateEvaluationRunConfigRequest
from .template_evaluation_run_config_request_classification_choices import (
    TemplateEvaluationRunConfigRequestClassificationChoices,
)
from .template_evaluation_run_config_request_provider_parameters import (
    TemplateEvaluationRunConfigRequestProviderParameters,
)
from .tool_call import ToolCall
from .tool_call_function import ToolCallFunction
from .tool_call_function_request import ToolCallFunctionRequest
from .tool_call_request import ToolCallRequest
from .tool_call_type import ToolCallType
from .tool_config import ToolConfig
from .tool_config_request import ToolConfigRequest
from .tool_config_request_tools_item import ToolConfigRequestToolsItem
from .tool_config_tools_item import ToolConfigToolsItem
from .trace_or_session_evaluator_input import TraceOrSessionEvaluatorInput
from .trigger_evaluation_task_run_request import TriggerEvaluationTaskRunRequest
from .trigger_run_experiment_task_run_request import TriggerRunExperimentTaskRunRequest
from .update_evaluation_task_request import UpdateEvaluationTaskRequest
from .update_run_experiment_task_request import UpdateRunExperimentTaskRequest

__all__ = (
    "AgentCallRunConfig",
    "AgentCallRunConfigInputTemplate",
    "AgentCallRunConfigRequest",
    "AgentCallRunConfigRequestInputTemplate",
    "AiIntegration",
    "AiIntegrationAuthType",
    "AiIntegrationProvider",
    "AiIntegrationScoping",
    "AwsProviderMetadata",
    "CreateCodeEvaluationTaskRequest",
    "CreateRunExperimentTaskRequest",
    "CreateTemplateEvaluationTaskRequest",
    "Dataset",
    "DatasetVersion",
    "Evaluator",
    "EvaluatorType",
    "Experiment",
    "ExperimentType",
    "GcpProviderMetadata",
    "InputVariableFormat",
    "InvocationParams",
    "InvocationParamsRequest",
    "ListAiIntegrationsResponse",
    "ListDatasetsResponse",
    "ListEvaluatorsResponse",
    "ListExperimentsResponse",
    "ListProjectsResponse",
    "ListSpacesResponse",
    "ListTaskRunsResponse",
    "ListTasksResponse",
    "LlmGenerationRunConfig",
    "LlmGenerationRunConfigProviderParameters",
    "LlmGenerationRunConfigRequest",
    "LlmGenerationRunConfigRequestProviderParameters",
    "LLMMessage",
    "LLMMessageRequest",
    "MessageRole",
    "PaginationMetadata",
    "Problem",
    "Project",
    "ProjectType",
    "ResponseFormat",
    "ResponseFormatJsonSchema",
    "ResponseFormatJsonSchemaRequest",
    "ResponseFormatJsonSchemaRequestSchema",
    "ResponseFormatJsonSchemaSchema",
    "ResponseFormatRequest",
    "ResponseFormatType",
    "Space",
    "SpaceAgentRuntime",
    "SpaceLlmIntegration",
    "SpanEvaluatorInput",
    "StringMap",
    "Task",
    "TaskEvaluator",
    "TaskQueryFilter",
    "TaskQueryFilterInput",
    "TaskQueryFilters",
    "TaskQueryFiltersInput",
    "TaskQueryMapping",
    "TaskQueryMappingInput",
    "TaskRun",
    "TaskRunStatus",
    "TaskType",
    "TemplateEvaluationRunConfig",
    "TemplateEvaluationRunConfigClassificationChoices",
    "TemplateEvaluationRunConfigProviderParameters",
    "TemplateEvaluationRunConfigRequest",
    "TemplateEvaluationRunConfigRequestClassificationChoices",
    "TemplateEvaluationRunConfigRequestProviderParameters",
    "ToolCall",
    "ToolCallFunction",
    "ToolCallFunctionRequest",
    "ToolCallRequest",
    "ToolCallType",
    "ToolConfig",
    "ToolConfigRequest",
    "ToolConfigRequestToolsItem",
    "ToolConfigToolsItem",
    "TraceOrSessionEvaluatorInput",
    "TriggerEvaluationTaskRunRequest",
    "TriggerRunExperimentTaskRunRequest",
    "UpdateEvaluationTaskRequest",
    "UpdateRunExperimentTaskRequest",
)
