package io.e2d.snapshot.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The one line an S3 failure becomes. */
@Timeout(10)
class S3FailureTest {

    @Test
    void missingCredentialsAreOneShortSentenceNotTheSdksChainDump() {
        SdkClientException sdk = SdkClientException.create("Unable to load credentials from any of the providers in"
                + " the chain AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(),"
                + " EnvironmentVariableCredentialsProvider(), ...]) : [SystemPropertyCredentialsProvider(): Unable to"
                + " load credentials from system settings. Access key must be specified ...]");
        assertThat(S3SnapshotStore.failure("reach bucket 'b'", sdk).getMessage())
                .isEqualTo("could not reach bucket 'b': no AWS credentials found (looked at"
                        + " AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, the AWS profile, web identity, container and EC2"
                        + " instance role); set one of them");
    }

    @Test
    void otherClientErrorsKeepTheirMessage() {
        SdkClientException sdk = SdkClientException.create("Unable to execute HTTP request: Connection refused");
        assertThat(S3SnapshotStore.failure("read s3://b/k", sdk).getMessage())
                .isEqualTo("could not read s3://b/k: Unable to execute HTTP request: Connection refused");
    }
}
