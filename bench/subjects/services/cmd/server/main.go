// Command server is the benchmark's big subject (bench/subject.go): a
// service wired the way many Go services are, with a Kubernetes client,
// a gRPC server with health checks, S3 and Cloud Storage clients,
// Azure Blob Storage clients, OpenTelemetry tracing exported over OTLP/gRPC,
// Prometheus metrics, an HTTP API on gin, Redis and PostgreSQL pools, events
// to Kafka and NATS, zap logging and a cobra/viper command line. The benchmark only builds it; run without --listen it
// constructs every client (none of them dials at construction) and prints
// what it built.
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"cloud.google.com/go/storage"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/IBM/sarama"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.uber.org/zap"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

var version = "dev"

// deps is everything the service talks to.
type deps struct {
	log     *zap.Logger
	kube    kubernetes.Interface
	s3      *s3.Client
	gcs     *storage.Client
	azure   *azblob.Client
	kafka   *sarama.Config
	redis   *redis.Client
	db      *pgxpool.Pool
	tracer  *sdktrace.TracerProvider
	metrics *prometheus.Registry
	grpc    *grpc.Server
	health  *health.Server
	http    *gin.Engine
}

func main() {
	v := viper.New()
	v.SetEnvPrefix("SERVICES")
	v.AutomaticEnv()
	cmd := &cobra.Command{
		Use:   "server",
		Short: "the benchmark's big subject: builds its clients; serves with --listen",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return run(cmd.Context(), v)
		},
	}
	f := cmd.Flags()
	f.String("listen", "", "serve gRPC here and the HTTP API on --http (default: build the clients, print them and exit)")
	f.String("http", ":8080", "HTTP API and metrics address (with --listen)")
	f.String("kubeconfig", "", "kubeconfig file (default: in-cluster, else localhost)")
	f.String("otlp", "localhost:4317", "OTLP/gRPC collector address")
	f.String("region", "eu-west-1", "S3 region")
	f.String("redis", "localhost:6379", "Redis address")
	f.String("database", "postgres://services@localhost:5432/services", "PostgreSQL URL")
	f.String("azure-account", "https://services.blob.core.windows.net/", "Azure Blob Storage account URL")
	f.StringSlice("kafka", []string{"localhost:9092"}, "Kafka brokers (events, with --listen)")
	f.String("nats", "nats://localhost:4222", "NATS server (events, with --listen)")
	if err := v.BindPFlags(f); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := cmd.ExecuteContext(ctx); err != nil {
		os.Exit(1)
	}
}

func run(ctx context.Context, v *viper.Viper) error {
	d, err := wire(ctx, v)
	if err != nil {
		return err
	}
	defer func() { _ = d.log.Sync() }()
	fmt.Println("services: " + version + " ready")
	d.log.Info("wired",
		zap.String("kubernetes", fmt.Sprintf("%T", d.kube)),
		zap.String("s3_region", d.s3.Options().Region),
		zap.String("azure_account", d.azure.URL()),
		zap.String("kafka_client", d.kafka.ClientID),
		zap.String("redis", d.redis.Options().Addr),
		zap.String("database", d.db.Config().ConnConfig.Host),
		zap.Int("metric_families", countFamilies(d.metrics)),
		zap.Int("grpc_services", len(d.grpc.GetServiceInfo())),
		zap.Int("http_routes", len(d.http.Routes())))
	if v.GetString("listen") == "" {
		d.db.Close()
		return nil
	}
	events, err := sarama.NewAsyncProducer(v.GetStringSlice("kafka"), d.kafka)
	if err != nil {
		return fmt.Errorf("kafka: %w", err)
	}
	defer events.AsyncClose()
	go func() {
		for range events.Successes() {
			requests.WithLabelValues("event").Inc()
		}
	}()
	go func() {
		for err := range events.Errors() {
			d.log.Warn("kafka", zap.Error(err))
		}
	}()
	nc, err := nats.Connect(v.GetString("nats"), nats.Name("services"))
	if err != nil {
		return fmt.Errorf("nats: %w", err)
	}
	defer nc.Close()
	if _, err := nc.Subscribe("services.ping", func(m *nats.Msg) {
		events.Input() <- &sarama.ProducerMessage{Topic: "services.pings", Value: sarama.ByteEncoder(m.Data)}
		_ = m.Respond([]byte(version))
	}); err != nil {
		return fmt.Errorf("nats: %w", err)
	}
	return serve(ctx, d, v.GetString("listen"), v.GetString("http"))
}

// wire constructs every client without dialling anything.
func wire(ctx context.Context, v *viper.Viper) (*deps, error) {
	logger, err := zap.NewProduction()
	if err != nil {
		return nil, err
	}
	cfg, err := kubeConfig(v.GetString("kubeconfig"))
	if err != nil {
		return nil, err
	}
	kube, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("kubernetes client: %w", err)
	}
	exp, err := otlptracegrpc.New(ctx, otlptracegrpc.WithEndpoint(v.GetString("otlp")), otlptracegrpc.WithInsecure())
	if err != nil {
		return nil, fmt.Errorf("otlp exporter: %w", err)
	}
	res := resource.NewSchemaless(attribute.String("service.name", "services"), attribute.String("service.version", version))
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)

	gcs, err := storage.NewClient(ctx, option.WithoutAuthentication())
	if err != nil {
		return nil, fmt.Errorf("cloud storage client: %w", err)
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(v.GetString("region")))
	if err != nil {
		return nil, fmt.Errorf("aws config: %w", err)
	}
	azCred, err := azidentity.NewDefaultAzureCredential(nil) // fetches tokens on first use
	if err != nil {
		return nil, fmt.Errorf("azure credential: %w", err)
	}
	azure, err := azblob.NewClient(v.GetString("azure-account"), azCred, nil)
	if err != nil {
		return nil, fmt.Errorf("azure blob client: %w", err)
	}
	kafka := sarama.NewConfig()
	kafka.ClientID = "services"
	kafka.Producer.Return.Successes = true
	kafka.Producer.RequiredAcks = sarama.WaitForAll
	dbCfg, err := pgxpool.ParseConfig(v.GetString("database"))
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	db, err := pgxpool.NewWithConfig(ctx, dbCfg) // connects on first use
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(requests)

	srv := grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler()))
	hs := health.NewServer()
	healthpb.RegisterHealthServer(srv, hs)
	reflection.Register(srv)

	gin.SetMode(gin.ReleaseMode)
	api := gin.New()
	api.Use(gin.Recovery())
	api.GET("/metrics", gin.WrapH(promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	api.GET("/healthz", func(c *gin.Context) {
		requests.WithLabelValues("healthz").Inc()
		c.JSON(http.StatusOK, gin.H{"version": version})
	})
	return &deps{
		log: logger, kube: kube, s3: s3.NewFromConfig(awsCfg), gcs: gcs, azure: azure, kafka: kafka,
		redis: redis.NewClient(&redis.Options{Addr: v.GetString("redis")}), db: db,
		tracer: tp, metrics: reg, grpc: srv, health: hs, http: api,
	}, nil
}

var requests = prometheus.NewCounterVec(prometheus.CounterOpts{
	Name: "services_requests_total", Help: "Requests handled, by kind.",
}, []string{"kind"})

func kubeConfig(path string) (*rest.Config, error) {
	if path != "" {
		return clientcmd.BuildConfigFromFlags("", path)
	}
	if cfg, err := rest.InClusterConfig(); err == nil {
		return cfg, nil
	}
	return &rest.Config{Host: "https://localhost:6443"}, nil
}

func countFamilies(reg *prometheus.Registry) int {
	mfs, err := reg.Gather()
	if err != nil {
		return 0
	}
	return len(mfs)
}

// serve runs the gRPC server and the metrics endpoint until ctx ends; the
// health status follows the Kubernetes API's reachability.
func serve(ctx context.Context, d *deps, listen, httpAddr string) error {
	lis, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	hsrv := &http.Server{Addr: httpAddr, Handler: d.http, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := hsrv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			d.log.Error("http", zap.Error(err))
		}
	}()
	go watchKube(ctx, d)
	go func() {
		<-ctx.Done()
		d.grpc.GracefulStop()
		_ = hsrv.Close()
		_ = d.tracer.Shutdown(context.Background())
		_ = d.gcs.Close()
		_ = d.redis.Close()
		d.db.Close()
	}()
	return d.grpc.Serve(lis)
}

func watchKube(ctx context.Context, d *deps) {
	tr := otel.Tracer("services")
	for {
		cctx, span := tr.Start(ctx, "dependencies.check")
		_, err := d.kube.CoreV1().Namespaces().List(cctx, metav1.ListOptions{Limit: 1})
		if err == nil {
			err = d.redis.Ping(cctx).Err()
		}
		if err == nil {
			err = d.db.Ping(cctx)
		}
		span.End()
		status := healthpb.HealthCheckResponse_SERVING
		if err != nil {
			status = healthpb.HealthCheckResponse_NOT_SERVING
			d.log.Warn("dependency check", zap.Error(err))
		}
		d.health.SetServingStatus("", status)
		requests.WithLabelValues("check").Inc()
		select {
		case <-ctx.Done():
			return
		case <-time.After(30 * time.Second):
		}
	}
}
