#!/usr/bin/env bash
# azd postdeploy hook (azure.yaml): subscribes the deployed app to Azure Communication Services' email delivery reports.
#
# ACS publishes Microsoft.Communication.EmailDeliveryReportReceived to an Event Grid system topic on the Communication
# Services resource; this script creates that topic and one webhook subscription to
#   https://<app>/api/webhooks/email-events?key=<email-events-key from Key Vault>
# A hard bounce, a suppressed address or a failed delivery then becomes the case's bounced contact (the address is not
# used again; the step goes to the next contact role or by post).
#
# Why a hook and not Bicep: Event Grid checks a webhook with a validation event when the subscription is created, so the
# code must already be deployed and answering; `azd provision` runs before `azd deploy`. Re-running is safe: the topic
# and the subscription are created when absent and updated (endpoint, filter) when present.
set -euo pipefail

group="${AZURE_RESOURCE_GROUP:?AZURE_RESOURCE_GROUP is not set: run this as the azd postdeploy hook}"
app="${AZURE_FUNCTION_APP_NAME:?AZURE_FUNCTION_APP_NAME is not set}"
acs="${AZURE_COMMUNICATION_SERVICE_ID:?AZURE_COMMUNICATION_SERVICE_ID is not set (an output of main.bicep)}"
vault="${AZURE_KEY_VAULT_NAME:?AZURE_KEY_VAULT_NAME is not set}"
topic="${app}-email-events"
subscription="dunning-email-delivery"

key=$(az keyvault secret show --vault-name "$vault" --name email-events-key --query value -o tsv)
host=$(az functionapp show --name "$app" --resource-group "$group" --query defaultHostName -o tsv)
endpoint="https://${host}/api/webhooks/email-events?key=${key}"

if ! az eventgrid system-topic show --name "$topic" --resource-group "$group" -o none 2>/dev/null; then
  location=$(az resource show --ids "$acs" --query location -o tsv)
  az eventgrid system-topic create --name "$topic" --resource-group "$group" --location "$location" \
    --topic-type Microsoft.Communication.CommunicationServices --source "$acs" -o none
  echo "created Event Grid system topic $topic on the Communication Services resource"
fi

if az eventgrid system-topic event-subscription show --name "$subscription" --system-topic-name "$topic" --resource-group "$group" -o none 2>/dev/null; then
  az eventgrid system-topic event-subscription update --name "$subscription" --system-topic-name "$topic" --resource-group "$group" \
    --endpoint "$endpoint" --included-event-types Microsoft.Communication.EmailDeliveryReportReceived -o none
  echo "updated subscription $subscription"
else
  az eventgrid system-topic event-subscription create --name "$subscription" --system-topic-name "$topic" --resource-group "$group" \
    --endpoint-type webhook --endpoint "$endpoint" --included-event-types Microsoft.Communication.EmailDeliveryReportReceived \
    --max-delivery-attempts 30 --event-ttl 1440 -o none
  echo "created subscription $subscription: delivery reports go to https://${host}/api/webhooks/email-events"
fi
