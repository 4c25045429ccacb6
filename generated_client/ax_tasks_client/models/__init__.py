"""The data models of the API, one module each.

Import a model from its own module (``from ax_tasks_client.models.task import Task``): this
package imports none of them, so a caller pays only for the models its operation uses.
"""
